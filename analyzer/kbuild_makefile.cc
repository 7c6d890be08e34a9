#include "analyzer/kbuild_makefile.h"

#include <algorithm>
#include <unordered_set>

namespace modrace {

namespace {

// Bounds that keep a hostile or unusual file from exploding the evaluation.
constexpr int kMaxExpandDepth = 64;       // nested variable references
constexpr size_t kMaxAlternatives = 64;   // evaluations of one text per symbol choice
constexpr int kMaxIncludeDepth = 16;
// Includes read in one evaluation: a file that includes two others that do
// the same would otherwise cost 2^depth evaluations.
constexpr size_t kMaxIncludes = 100;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}

bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsBlank(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !IsBlank(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Make's `%` patterns: one `%` matches any run; without `%`, equality.
bool PatternMatch(std::string_view pattern, std::string_view word, std::string_view* stem) {
  const size_t pct = pattern.find('%');
  if (pct == std::string_view::npos) {
    if (stem) *stem = {};
    return pattern == word;
  }
  const std::string_view pre = pattern.substr(0, pct);
  const std::string_view post = pattern.substr(pct + 1);
  if (word.size() < pre.size() + post.size()) return false;
  if (!StartsWith(word, pre) || !EndsWith(word, post)) return false;
  if (stem) *stem = word.substr(pre.size(), word.size() - pre.size() - post.size());
  return true;
}

std::string PatternReplace(std::string_view replacement, std::string_view stem) {
  const size_t pct = replacement.find('%');
  if (pct == std::string_view::npos) return std::string(replacement);
  std::string out(replacement.substr(0, pct));
  out += stem;
  out += replacement.substr(pct + 1);
  return out;
}

// Index just past the reference opened at s[open] ('(' or '{'), or npos.
size_t MatchClose(std::string_view s, size_t open) {
  const char o = s[open];
  const char c = o == '(' ? ')' : '}';
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == o) {
      ++depth;
    } else if (s[i] == c) {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

// Splits function arguments at commas outside nested parentheses.
std::vector<std::string_view> SplitArgs(std::string_view s, size_t max_args) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(' || c == '{') {
      ++depth;
    } else if ((c == ')' || c == '}') && depth > 0) {
      --depth;
    } else if (c == ',' && depth == 0 && out.size() + 1 < max_args) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

// Escapes a simple variable's value so it can join a recursive one.
std::string EscapeDollars(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

enum class Decision { kFalse, kTrue, kUndecided };

}  // namespace

std::string NormalizeTreePath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    const std::string_view part = path.substr(i, j - i);
    if (part.empty() || part == ".") {
      // skip
    } else if (part == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (auto p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

struct KbuildMakefile::State {
  struct Variable {
    std::string value;
    bool recursive = false;
  };

  // One evaluation of a text under a fixed choice of multi-valued symbols.
  struct Expansion {
    const std::map<std::string, char>* choice = nullptr;
    std::vector<std::string> discovered;  // multi-valued symbols not in choice
    bool opaque = false;                  // used $(shell) & co.
    int depth = 0;
  };

  struct Alternatives {
    std::vector<std::string> values;  // distinct
    bool opaque = false;
  };

  struct Frame {
    bool active = true;           // this branch is read
    bool uncertain = false;       // ...but may not be taken (or a sibling may)
    bool taken_certain = false;   // some branch of this chain was surely taken
    bool seen_undecided = false;  // some branch so far was undecided
    bool parent_active = true;
    bool parent_uncertain = false;
  };

  SymbolOracle oracle;
  IncludeReader reader;
  std::unordered_map<std::string, Variable> vars;
  std::vector<Frame> frames;
  // Origin of each word added to obj-y / obj-m, first one wins.
  std::map<std::string, std::map<std::string, KbuildOrigin>> origins;
  std::map<std::string, std::set<std::string>> certain_words;  // obj-y/obj-m words added surely
  std::vector<std::string> problems;
  int include_depth = 0;
  std::vector<std::string> include_stack;  // files being included, outermost first
  size_t includes_read = 0;

  // ---- expansion ----

  unsigned Bits(const std::string& symbol) {
    unsigned b = oracle ? oracle(symbol) : kMayBeN;
    return b == 0 ? kMayBeN : b;
  }

  static int BitCount(unsigned b) {
    return ((b & kMayBeN) ? 1 : 0) + ((b & kMayBeM) ? 1 : 0) + ((b & kMayBeY) ? 1 : 0);
  }

  static std::string ValueOf(char v) {
    if (v == 'm') return "m";
    if (v == 'y') return "y";
    return "";
  }

  std::string Lookup(const std::string& name, Expansion& x) {
    auto it = vars.find(name);
    if (it != vars.end()) {
      if (!it->second.recursive) return it->second.value;
      if (x.depth >= kMaxExpandDepth) {
        x.opaque = true;
        return "";
      }
      ++x.depth;
      const std::string raw = it->second.value;  // the map may change below
      std::string out = Expand(raw, x);
      --x.depth;
      return out;
    }
    if (StartsWith(name, "CONFIG_")) {
      const unsigned b = Bits(name);
      if (BitCount(b) == 1) return (b & kMayBeM) ? "m" : (b & kMayBeY) ? "y" : "";
      if (x.choice) {
        auto c = x.choice->find(name);
        if (c != x.choice->end()) return ValueOf(c->second);
      }
      if (std::find(x.discovered.begin(), x.discovered.end(), name) == x.discovered.end()) {
        x.discovered.push_back(name);
      }
      return (b & kMayBeM) ? "m" : (b & kMayBeY) ? "y" : "";
    }
    return "";
  }

  std::string Expand(std::string_view s, Expansion& x) {
    std::string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c != '$') {
        out += c;
        ++i;
        continue;
      }
      if (i + 1 >= s.size()) break;
      const char d = s[i + 1];
      if (d == '$') {
        out += '$';
        i += 2;
      } else if (d == '(' || d == '{') {
        const size_t end = MatchClose(s, i + 1);
        if (end == std::string_view::npos) {
          x.opaque = true;  // unterminated reference: make would fail
          break;
        }
        out += ExpandReference(s.substr(i + 2, end - i - 3), x);
        i = end;
      } else {
        out += Lookup(std::string(1, d), x);
        i += 2;
      }
    }
    return out;
  }

  // `body` is what stands between $( and ).
  std::string ExpandReference(std::string_view body, Expansion& x) {
    // A function call: a known name, then blanks.
    size_t n = 0;
    while (n < body.size() && !IsBlank(body[n]) && body[n] != '$' && body[n] != ':' &&
           body[n] != '(' && body[n] != '{') {
      ++n;
    }
    if (n > 0 && n < body.size() && IsBlank(body[n])) {
      std::string_view args = body.substr(n);
      while (!args.empty() && IsBlank(args.front())) args.remove_prefix(1);
      std::optional<std::string> r = CallFunction(body.substr(0, n), args, x);
      if (r) return *r;
    }
    // A substitution reference $(var:a=b), at the top nesting level.
    int depth = 0;
    for (size_t i = 0; i < body.size(); ++i) {
      const char c = body[i];
      if (c == '(' || c == '{') {
        ++depth;
      } else if (c == ')' || c == '}') {
        --depth;
      } else if (c == ':' && depth == 0) {
        const size_t eq = body.find('=', i + 1);
        if (eq == std::string_view::npos) break;
        const std::string name = Expand(body.substr(0, i), x);
        std::string from = Expand(body.substr(i + 1, eq - i - 1), x);
        std::string to = Expand(body.substr(eq + 1), x);
        if (from.find('%') == std::string::npos) {
          from = "%" + from;
          to = "%" + to;
        }
        std::vector<std::string> words;
        const std::string value = Lookup(name, x);
        for (auto w : SplitWords(value)) {
          std::string_view stem;
          words.push_back(PatternMatch(from, w, &stem) ? PatternReplace(to, stem)
                                                       : std::string(w));
        }
        return JoinWords(words);
      }
    }
    return Lookup(Expand(body, x), x);
  }

  std::optional<std::string> CallFunction(std::string_view fn, std::string_view args,
                                          Expansion& x) {
    auto expanded = [&](size_t max) {
      std::vector<std::string> out;
      for (auto a : SplitArgs(args, max)) out.push_back(Expand(a, x));
      return out;
    };
    auto words_of = [](const std::string& s) { return SplitWords(s); };
    if (fn == "addprefix" || fn == "addsuffix") {
      auto a = expanded(2);
      if (a.size() < 2) return std::string();
      std::vector<std::string> out;
      for (auto w : words_of(a[1])) {
        out.push_back(fn == "addprefix" ? a[0] + std::string(w) : std::string(w) + a[0]);
      }
      return JoinWords(out);
    }
    if (fn == "patsubst") {
      auto a = expanded(3);
      if (a.size() < 3) return std::string();
      const std::string from(Trim(a[0])), to(Trim(a[1]));
      std::vector<std::string> out;
      for (auto w : words_of(a[2])) {
        std::string_view stem;
        out.push_back(PatternMatch(from, w, &stem) ? PatternReplace(to, stem) : std::string(w));
      }
      return JoinWords(out);
    }
    if (fn == "subst") {
      auto a = expanded(3);
      if (a.size() < 3) return std::string();
      if (a[0].empty()) return a[2];
      std::string out;
      size_t pos = 0;
      for (;;) {
        const size_t hit = a[2].find(a[0], pos);
        if (hit == std::string::npos) break;
        out += a[2].substr(pos, hit - pos);
        out += a[1];
        pos = hit + a[0].size();
      }
      out += a[2].substr(pos);
      return out;
    }
    if (fn == "filter" || fn == "filter-out") {
      auto a = expanded(2);
      if (a.size() < 2) return std::string();
      const auto pats = words_of(a[0]);
      std::vector<std::string> out;
      for (auto w : words_of(a[1])) {
        bool hit = false;
        for (auto p : pats) hit = hit || PatternMatch(p, w, nullptr);
        if (hit == (fn == "filter")) out.push_back(std::string(w));
      }
      return JoinWords(out);
    }
    if (fn == "sort") {
      const std::string a = Expand(args, x);
      std::vector<std::string> w;
      for (auto v : words_of(a)) w.push_back(std::string(v));
      std::sort(w.begin(), w.end());
      w.erase(std::unique(w.begin(), w.end()), w.end());
      return JoinWords(w);
    }
    if (fn == "strip") {
      std::vector<std::string> w;
      const std::string a = Expand(args, x);
      for (auto v : words_of(a)) w.push_back(std::string(v));
      return JoinWords(w);
    }
    if (fn == "findstring") {
      auto a = expanded(2);
      if (a.size() < 2) return std::string();
      return a[1].find(a[0]) != std::string::npos ? a[0] : std::string();
    }
    if (fn == "words" || fn == "firstword" || fn == "lastword") {
      const std::string a = Expand(args, x);
      const auto w = words_of(a);
      if (fn == "words") return std::to_string(w.size());
      if (w.empty()) return std::string();
      return std::string(fn == "firstword" ? w.front() : w.back());
    }
    if (fn == "word") {
      auto a = expanded(2);
      if (a.size() < 2) return std::string();
      const auto w = words_of(a[1]);
      const size_t k = static_cast<size_t>(std::atoi(a[0].c_str()));
      return k >= 1 && k <= w.size() ? std::string(w[k - 1]) : std::string();
    }
    if (fn == "notdir" || fn == "dir" || fn == "basename" || fn == "suffix") {
      const std::string a = Expand(args, x);
      std::vector<std::string> out;
      for (auto w : words_of(a)) {
        const size_t slash = w.rfind('/');
        if (fn == "notdir") {
          out.push_back(std::string(slash == std::string_view::npos ? w : w.substr(slash + 1)));
        } else if (fn == "dir") {
          out.push_back(slash == std::string_view::npos ? "./"
                                                        : std::string(w.substr(0, slash + 1)));
        } else {
          const size_t dot = w.rfind('.');
          const bool has = dot != std::string_view::npos &&
                           (slash == std::string_view::npos || dot > slash);
          if (fn == "basename") {
            out.push_back(std::string(has ? w.substr(0, dot) : w));
          } else if (has) {
            out.push_back(std::string(w.substr(dot)));
          }
        }
      }
      return JoinWords(out);
    }
    if (fn == "if") {
      auto a = SplitArgs(args, 3);
      const std::string cond(Trim(Expand(a[0], x)));
      if (!cond.empty()) return a.size() > 1 ? Expand(a[1], x) : std::string();
      return a.size() > 2 ? Expand(a[2], x) : std::string();
    }
    if (fn == "or" || fn == "and") {
      std::string last;
      for (auto a : SplitArgs(args, 1000)) {
        last = std::string(Trim(Expand(a, x)));
        if (fn == "or" && !last.empty()) return last;
        if (fn == "and" && last.empty()) return std::string();
      }
      return fn == "and" ? last : std::string();
    }
    if (fn == "foreach") {
      auto a = SplitArgs(args, 3);
      if (a.size() < 3) return std::string();
      const std::string var(Trim(Expand(a[0], x)));
      const std::string list = Expand(a[1], x);
      auto saved = vars.find(var) == vars.end()
                       ? std::optional<Variable>()
                       : std::optional<Variable>(vars[var]);
      std::vector<std::string> out;
      for (auto w : words_of(list)) {
        vars[var] = Variable{std::string(w), false};
        std::string r = Expand(a[2], x);
        if (!Trim(r).empty()) out.push_back(std::string(Trim(r)));
      }
      if (saved) {
        vars[var] = *saved;
      } else {
        vars.erase(var);
      }
      return JoinWords(out);
    }
    if (fn == "call") {
      auto a = expanded(1000);
      if (a.empty()) return std::string();
      const std::string name(Trim(a[0]));
      auto it = vars.find(name);
      if (it == vars.end() || x.depth >= kMaxExpandDepth) return std::string();
      const std::string body = it->second.value;
      const bool recursive = it->second.recursive;
      std::vector<std::pair<std::string, std::optional<Variable>>> saved;
      for (size_t k = 0; k < a.size() && k < 10; ++k) {
        const std::string key = std::to_string(k);
        auto old = vars.find(key);
        saved.push_back({key, old == vars.end() ? std::optional<Variable>()
                                                : std::optional<Variable>(old->second)});
        vars[key] = Variable{k == 0 ? name : a[k], false};
      }
      for (size_t k = a.size(); k < 10; ++k) {
        const std::string key = std::to_string(k);
        auto old = vars.find(key);
        saved.push_back({key, old == vars.end() ? std::optional<Variable>()
                                                : std::optional<Variable>(old->second)});
        vars.erase(key);
      }
      ++x.depth;
      std::string out = recursive ? Expand(body, x) : body;
      --x.depth;
      for (auto& [key, old] : saved) {
        if (old) {
          vars[key] = *old;
        } else {
          vars.erase(key);
        }
      }
      return out;
    }
    if (fn == "value") {
      auto it = vars.find(std::string(Trim(Expand(args, x))));
      return it == vars.end() ? std::string() : it->second.value;
    }
    if (fn == "origin" || fn == "flavor") {
      auto it = vars.find(std::string(Trim(Expand(args, x))));
      if (it == vars.end()) return std::string("undefined");
      if (fn == "origin") return std::string("file");
      return std::string(it->second.recursive ? "recursive" : "simple");
    }
    if (fn == "abspath" || fn == "realpath") return Expand(args, x);
    if (fn == "error" || fn == "warning" || fn == "info") {
      (void)Expand(args, x);
      return std::string();
    }
    if (fn == "shell" || fn == "wildcard" || fn == "eval" || fn == "file" ||
        fn == "guile") {
      // Needs a process, the file system or make's own parser: unknown.
      x.opaque = true;
      return std::string();
    }
    return std::nullopt;  // not a function: a variable with a blank in its name
  }

  // Every distinct result of expanding `text` over the possible values of
  // the multi-valued symbols it depends on.
  Alternatives ExpandAll(std::string_view text) {
    Alternatives out;
    std::vector<std::map<std::string, char>> work(1);
    size_t runs = 0;
    while (!work.empty()) {
      std::map<std::string, char> choice = std::move(work.back());
      work.pop_back();
      Expansion x;
      x.choice = &choice;
      std::string r = Expand(text, x);
      ++runs;
      out.opaque = out.opaque || x.opaque;
      if (x.discovered.empty() || runs >= kMaxAlternatives) {
        if (std::find(out.values.begin(), out.values.end(), r) == out.values.end()) {
          out.values.push_back(std::move(r));
        }
        continue;
      }
      const std::string& symbol = x.discovered.front();
      const unsigned b = Bits(symbol);
      for (char v : {'n', 'm', 'y'}) {
        const unsigned bit = v == 'n' ? kMayBeN : v == 'm' ? kMayBeM : kMayBeY;
        if (!(b & bit)) continue;
        auto next = choice;
        next[symbol] = v;
        work.push_back(std::move(next));
      }
    }
    return out;
  }

  std::vector<std::string> UnionWords(const Alternatives& a) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    for (const auto& v : a.values) {
      for (auto w : SplitWords(v)) {
        if (seen.insert(std::string(w)).second) out.push_back(std::string(w));
      }
    }
    return out;
  }

  std::string UnionValue(const Alternatives& a) {
    if (a.values.size() == 1) return a.values[0];
    return JoinWords(UnionWords(a));
  }

  // ---- conditionals ----

  bool Active() const { return frames.empty() || frames.back().active; }
  bool Uncertain() const {
    return !frames.empty() && (frames.back().uncertain || frames.back().parent_uncertain);
  }

  Decision Decide(std::string_view keyword, std::string_view rest) {
    if (keyword == "ifdef" || keyword == "ifndef") {
      const Alternatives names = ExpandAll(Trim(rest));
      bool any_true = false, any_false = false;
      for (const auto& n : names.values) {
        const std::string name(Trim(n));
        auto it = vars.find(name);
        if (it != vars.end()) {
          (Trim(it->second.value).empty() ? any_false : any_true) = true;
        } else if (StartsWith(name, "CONFIG_")) {
          const unsigned b = Bits(name);
          if (b & kMayBeN) any_false = true;
          if (b & (kMayBeM | kMayBeY)) any_true = true;
        } else {
          any_false = true;
        }
      }
      if (names.opaque || (any_true && any_false)) return Decision::kUndecided;
      const bool defined = any_true;
      return defined == (keyword == "ifdef") ? Decision::kTrue : Decision::kFalse;
    }
    // ifeq / ifneq: "(a,b)", "'a' 'b'" or "\"a\" \"b\"".
    std::string_view a, b;
    rest = Trim(rest);
    if (!rest.empty() && rest.front() == '(') {
      const size_t end = MatchClose(rest, 0);
      if (end == std::string_view::npos) return Decision::kUndecided;
      auto args = SplitArgs(rest.substr(1, end - 2), 2);
      if (args.size() != 2) return Decision::kUndecided;
      a = args[0];
      b = args[1];
    } else if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
      const size_t end1 = rest.find(rest.front(), 1);
      if (end1 == std::string_view::npos) return Decision::kUndecided;
      a = rest.substr(1, end1 - 1);
      std::string_view r2 = Trim(rest.substr(end1 + 1));
      if (r2.size() < 2 || (r2.front() != '"' && r2.front() != '\'')) {
        return Decision::kUndecided;
      }
      const size_t end2 = r2.find(r2.front(), 1);
      if (end2 == std::string_view::npos) return Decision::kUndecided;
      b = r2.substr(1, end2 - 1);
    } else {
      return Decision::kUndecided;
    }
    std::string joined(a);
    joined += '\x1f';
    joined += b;
    const Alternatives alts = ExpandAll(joined);
    if (alts.opaque) return Decision::kUndecided;
    bool any_true = false, any_false = false;
    for (const auto& v : alts.values) {
      const size_t sep = v.find('\x1f');
      const bool equal = sep != std::string::npos &&
                         Trim(std::string_view(v).substr(0, sep)) ==
                             Trim(std::string_view(v).substr(sep + 1));
      (equal == (keyword == "ifeq") ? any_true : any_false) = true;
    }
    if (any_true && any_false) return Decision::kUndecided;
    return any_true ? Decision::kTrue : Decision::kFalse;
  }

  void OpenConditional(std::string_view keyword, std::string_view rest) {
    Frame f;
    f.parent_active = Active();
    f.parent_uncertain = Uncertain();
    const Decision d = f.parent_active ? Decide(keyword, rest) : Decision::kFalse;
    f.active = f.parent_active && d != Decision::kFalse;
    f.uncertain = d == Decision::kUndecided;
    f.taken_certain = d == Decision::kTrue;
    f.seen_undecided = d == Decision::kUndecided;
    frames.push_back(f);
  }

  void Else(std::string_view rest) {
    if (frames.empty()) return;
    Frame& f = frames.back();
    if (f.taken_certain || !f.parent_active) {
      f.active = false;
      return;
    }
    Decision d = Decision::kTrue;
    std::string_view kw;
    std::string_view cond = Trim(rest);
    if (!cond.empty()) {
      size_t k = 0;
      while (k < cond.size() && !IsBlank(cond[k]) && cond[k] != '(') ++k;
      kw = cond.substr(0, k);
      if (kw == "ifeq" || kw == "ifneq" || kw == "ifdef" || kw == "ifndef") {
        d = Decide(kw, cond.substr(k));
      }
    }
    f.active = d != Decision::kFalse;
    f.uncertain = d == Decision::kUndecided || f.seen_undecided;
    if (d == Decision::kTrue && !f.seen_undecided) f.taken_certain = true;
    if (d == Decision::kUndecided) f.seen_undecided = true;
  }

  // ---- statements ----

  void Assign(std::string_view lhs, std::string_view op, std::string_view rhs,
              const KbuildOrigin& origin) {
    const Alternatives names = ExpandAll(Trim(lhs));
    const bool several = names.values.size() > 1;
    const bool uncertain = Uncertain() || several || names.opaque;
    rhs = Trim(rhs);
    std::optional<Alternatives> rhs_alts;
    auto rhs_expanded = [&]() -> const Alternatives& {
      if (!rhs_alts) rhs_alts = ExpandAll(rhs);
      return *rhs_alts;
    };
    for (const auto& raw_name : names.values) {
      const std::string name(Trim(raw_name));
      if (name.empty()) continue;
      auto it = vars.find(name);
      const bool exists = it != vars.end();
      if (op == "?=" && exists) continue;
      if (op == "!=") {
        vars[name] = Variable{"", false};
        continue;
      }
      if (op == "+=" || (uncertain && exists)) {
        // Append; an uncertain assignment unites with what was there.
        if (!exists) {
          vars[name] = Variable{std::string(rhs), true};
        } else if (it->second.recursive) {
          if (op == ":=" || op == "::=") {
            it->second.value += " " + EscapeDollars(UnionValue(rhs_expanded()));
          } else {
            it->second.value += " " + std::string(rhs);
          }
        } else if (op == "=" || op == "?=") {
          it->second.value = EscapeDollars(it->second.value) + " " + std::string(rhs);
          it->second.recursive = true;
        } else {
          it->second.value += " " + UnionValue(rhs_expanded());
        }
      } else if (op == ":=" || op == "::=") {
        vars[name] = Variable{UnionValue(rhs_expanded()), false};
      } else {  // "=" or "?=" on a new variable
        vars[name] = Variable{std::string(rhs), true};
      }
      if (name == "obj-y" || name == "obj-m") {
        const Alternatives& a = rhs_expanded();
        auto& from = origins[name];
        const bool sure = !uncertain && !a.opaque && a.values.size() == 1;
        for (const auto& w : UnionWords(a)) {
          from.emplace(w, origin);
          if (sure) certain_words[name].insert(w);
        }
      }
    }
  }

  void Include(std::string_view rest, bool optional, const KbuildOrigin& origin) {
    const Alternatives files = ExpandAll(rest);
    for (const auto& w : UnionWords(files)) {
      const std::string where = origin.file + ":" + std::to_string(origin.line) + ": ";
      if (std::find(include_stack.begin(), include_stack.end(), w) != include_stack.end()) {
        problems.push_back(where + "include loop: " + w + " includes itself; not read again");
        continue;
      }
      if (includes_read >= kMaxIncludes) {
        problems.push_back(where + "more than " + std::to_string(kMaxIncludes) +
                           " includes; " + w + " not read");
        continue;
      }
      std::optional<std::string> content;
      if (reader && include_depth < kMaxIncludeDepth) content = reader(w);
      if (!content) {
        if (!optional) {
          problems.push_back(origin.file + ":" + std::to_string(origin.line) +
                             ": could not read included " + w);
        }
        continue;
      }
      ++includes_read;
      ++include_depth;
      include_stack.push_back(w);
      Run(*content, w);
      include_stack.pop_back();
      --include_depth;
    }
  }

  // Position and length of the assignment operator, or npos for a rule
  // line (a ':' first) or a line that is neither.
  static size_t FindAssignment(std::string_view s, size_t* op_len, bool* is_rule) {
    *is_rule = false;
    int depth = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '$' && i + 1 < s.size() && (s[i + 1] == '(' || s[i + 1] == '{')) {
        ++depth;
        ++i;
      } else if ((c == '(' || c == '{') && depth > 0) {
        ++depth;
      } else if ((c == ')' || c == '}') && depth > 0) {
        --depth;
      } else if (depth == 0 && c == '=') {
        if (i > 0 && (s[i - 1] == '+' || s[i - 1] == '?' || s[i - 1] == '!')) {
          *op_len = 2;
          return i - 1;
        }
        *op_len = 1;
        return i;
      } else if (depth == 0 && c == ':') {
        if (i + 1 < s.size() && s[i + 1] == '=') {
          *op_len = 2;
          return i;
        }
        if (i + 2 < s.size() && s[i + 1] == ':' && s[i + 2] == '=') {
          *op_len = 3;
          return i;
        }
        *is_rule = true;
        return std::string_view::npos;
      }
    }
    return std::string_view::npos;
  }

  void Run(std::string_view content, std::string_view file) {
    const std::string file_name(file);
    bool in_rule = false;
    int define_depth = 0;  // inside define ... endef
    std::string define_name;
    std::string define_body;
    size_t pos = 0;
    int number = 0;
    const size_t frames_at_start = frames.size();
    while (pos < content.size()) {
      // One logical line: backslash-newline joins (with the blanks around
      // it) into one space.
      const int first = number + 1;
      std::string line;
      bool recipe = false;
      bool first_physical = true;
      for (;;) {
        size_t end = content.find('\n', pos);
        if (end == std::string_view::npos) end = content.size();
        std::string_view phys = content.substr(pos, end - pos);
        ++number;
        pos = end + 1;
        if (!phys.empty() && phys.back() == '\r') phys.remove_suffix(1);
        if (first_physical) {
          recipe = !phys.empty() && phys.front() == '\t' && in_rule;
          first_physical = false;
        } else {
          while (!phys.empty() && IsBlank(phys.front())) phys.remove_prefix(1);
        }
        size_t backslashes = 0;
        while (backslashes < phys.size() && phys[phys.size() - 1 - backslashes] == '\\') {
          ++backslashes;
        }
        if (backslashes % 2 == 1 && pos <= content.size()) {
          phys.remove_suffix(1);
          while (!phys.empty() && IsBlank(phys.back())) phys.remove_suffix(1);
          line += phys;
          line += ' ';
          if (pos >= content.size()) break;
          continue;
        }
        line += phys;
        break;
      }
      if (define_depth > 0) {
        const std::string_view t = Trim(line);
        if (StartsWith(t, "endef") && (t.size() == 5 || IsBlank(t[5]))) {
          if (--define_depth == 0) {
            if (Active()) vars[define_name] = Variable{define_body, true};
            continue;
          }
        } else if (StartsWith(t, "define") && (t.size() == 6 || IsBlank(t[6]))) {
          ++define_depth;
        }
        if (!define_body.empty()) define_body += '\n';
        define_body += line;
        continue;
      }
      if (recipe) continue;
      // Comments: an unescaped '#'.
      for (size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '#' && (i == 0 || line[i - 1] != '\\')) {
          line.resize(i);
          break;
        }
      }
      std::string_view t = Trim(line);
      if (t.empty()) continue;
      size_t k = 0;
      while (k < t.size() && !IsBlank(t[k]) && t[k] != '(') ++k;
      std::string_view word = t.substr(0, k);
      std::string_view rest = t.substr(k);
      if (word == "ifeq" || word == "ifneq" || word == "ifdef" || word == "ifndef") {
        OpenConditional(word, rest);
        continue;
      }
      if (word == "else") {
        Else(rest);
        continue;
      }
      if (word == "endif") {
        if (frames.size() > frames_at_start) frames.pop_back();
        continue;
      }
      if (word == "define") {
        define_depth = 1;
        define_body.clear();
        std::string_view n = Trim(rest);
        for (std::string_view op : {"::=", ":=", "+=", "?=", "="}) {
          if (EndsWith(n, op)) {
            n.remove_suffix(op.size());
            break;
          }
        }
        Expansion x;
        define_name = Active() ? std::string(Trim(Expand(Trim(n), x))) : std::string();
        continue;
      }
      if (!Active()) continue;
      in_rule = false;
      const KbuildOrigin origin{file_name, first, std::string(t.substr(0, 240))};
      if (word == "include" || word == "-include" || word == "sinclude") {
        Include(rest, word != "include", origin);
        continue;
      }
      // Modifiers that do not change what is assigned.
      while (word == "export" || word == "override" || word == "private" ||
             word == "unexport") {
        if (word == "unexport") {
          t = std::string_view();
          break;
        }
        t = Trim(rest);
        k = 0;
        while (k < t.size() && !IsBlank(t[k])) ++k;
        word = t.substr(0, k);
        rest = t.substr(k);
      }
      if (t.empty() || word == "vpath" || word == "undefine") continue;
      size_t op_len = 0;
      bool is_rule = false;
      const size_t op = FindAssignment(t, &op_len, &is_rule);
      if (is_rule) {
        in_rule = true;
        continue;
      }
      if (op == std::string_view::npos) continue;  // e.g. a bare $(eval ...)
      Assign(t.substr(0, op), t.substr(op, op_len), t.substr(op + op_len), origin);
    }
    if (frames.size() > frames_at_start) {
      problems.push_back(file_name + ": missing endif");
      frames.resize(frames_at_start);
    }
  }
};

KbuildMakefile::KbuildMakefile(SymbolOracle oracle, IncludeReader reader)
    : state_(std::make_unique<State>()) {
  state_->oracle = std::move(oracle);
  state_->reader = std::move(reader);
}

KbuildMakefile::~KbuildMakefile() = default;

void KbuildMakefile::Set(std::string_view name, std::string_view value) {
  state_->vars[std::string(name)] = State::Variable{std::string(value), false};
}

void KbuildMakefile::Evaluate(std::string_view content, std::string_view file_name) {
  state_->Run(content, file_name);
}

std::vector<std::string> KbuildMakefile::Words(std::string_view name) {
  return state_->UnionWords(state_->ExpandAll("$(" + std::string(name) + ")"));
}

KbuildDirectory KbuildMakefile::Directory(std::string_view dir) {
  KbuildDirectory out;
  out.problems = state_->problems;
  const std::vector<std::string> obj_y = Words("obj-y");
  const std::vector<std::string> obj_m = Words("obj-m");
  const std::set<std::string>& sure_y = state_->certain_words["obj-y"];
  const std::set<std::string>& sure_m = state_->certain_words["obj-m"];
  auto origin_of = [&](const std::string& var, const std::string& word) {
    auto& m = state_->origins[var];
    auto it = m.find(word);
    return it == m.end() ? KbuildOrigin{} : it->second;
  };
  auto join = [&](const std::string& word) {
    return NormalizeTreePath(std::string(dir) + "/" + word);
  };
  std::set<std::string> seen_modules, seen_dirs;
  for (const auto& w : obj_m) {
    if (!EndsWith(w, ".o") || w.size() <= 2) continue;
    // kbuild: obj-m := $(filter-out $(obj-y),$(obj-m)). Only an obj-y
    // entry that is there for every config removes a possible module.
    if (sure_y.count(w)) continue;
    const std::string path = join(w.substr(0, w.size() - 2));
    if (!seen_modules.insert(path).second) continue;
    out.modules.push_back({path, origin_of("obj-m", w), sure_m.count(w) != 0});
  }
  for (const auto* list : {&obj_y, &obj_m}) {
    const std::string var = list == &obj_y ? "obj-y" : "obj-m";
    for (const auto& w : *list) {
      if (!EndsWith(w, "/")) continue;
      const std::string path = join(w);
      if (path.empty() || !seen_dirs.insert(path).second) continue;
      out.subdirs.push_back(
          {path, origin_of(var, w), state_->certain_words[var].count(w) != 0});
    }
  }
  return out;
}

KbuildDirectory EvaluateKbuildDirectory(std::string_view content, std::string_view file_name,
                                        std::string_view dir,
                                        const std::map<std::string, std::string>& vars,
                                        SymbolOracle oracle, IncludeReader reader) {
  KbuildMakefile mk(std::move(oracle), std::move(reader));
  const std::string d = dir.empty() ? std::string(".") : std::string(dir);
  mk.Set("srctree", ".");
  mk.Set("objtree", ".");
  mk.Set("src", d);
  mk.Set("obj", d);
  // scripts/Makefile.build starts with `obj-y :=` and `obj-m :=`: they are
  // simple variables, so `+=` expands its text at once.
  for (const char* v : {"obj-y", "obj-m", "lib-y", "subdir-y", "subdir-m"}) mk.Set(v, "");
  for (const auto& [k, v] : vars) mk.Set(k, v);
  mk.Evaluate(content, file_name);
  return mk.Directory(dir);
}

}  // namespace modrace
