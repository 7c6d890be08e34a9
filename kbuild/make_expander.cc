// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/make_expander.h"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "kbuild/make_functions.h"
#include "kbuild/make_text.h"

namespace modrace::make {

namespace {

// Expansions of one text, one per choice of symbol values; past this, a
// symbol not yet chosen keeps its first value.
constexpr size_t kMaxAlternatives = 64;

int BitCount(unsigned b) {
  return ((b & kMayBeN) ? 1 : 0) + ((b & kMayBeM) ? 1 : 0) + ((b & kMayBeY) ? 1 : 0);
}

// $(CONFIG_X) for a symbol that may take the values `b`: its first one.
std::string FirstValue(unsigned b) { return (b & kMayBeM) ? "m" : (b & kMayBeY) ? "y" : ""; }

std::string ValueOf(char v) {
  if (v == 'm') return "m";
  if (v == 'y') return "y";
  return "";
}

// The first ':' outside parentheses, or npos.
size_t TopLevelColon(std::string_view body) {
  int depth = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '(' || c == '{') {
      ++depth;
    } else if (c == ')' || c == '}') {
      --depth;
    } else if (c == ':' && depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

unsigned Expander::Bits(const std::string& symbol) const {
  unsigned b = oracle_ ? oracle_(symbol) : kMayBeN;
  return b == 0 ? kMayBeN : b;
}

std::string Expander::Lookup(const std::string& name, Expansion& x) {
  auto it = vars_.find(name);
  if (it == vars_.end()) return StartsWith(name, "CONFIG_") ? LookupSymbol(name, x) : "";
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

std::string Expander::LookupSymbol(const std::string& name, Expansion& x) {
  const unsigned b = Bits(name);
  if (BitCount(b) == 1) return FirstValue(b);
  if (x.choice) {
    auto c = x.choice->find(name);
    if (c != x.choice->end()) return ValueOf(c->second);
  }
  if (std::find(x.discovered.begin(), x.discovered.end(), name) == x.discovered.end()) {
    x.discovered.push_back(name);
  }
  return FirstValue(b);
}

std::string Expander::Expand(std::string_view s, Expansion& x) {
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

std::string Expander::ExpandReference(std::string_view body, Expansion& x) {
  // A function call: a known name, then blanks.
  size_t n = 0;
  while (n < body.size() && !IsBlank(body[n]) && body[n] != '$' && body[n] != ':' &&
         body[n] != '(' && body[n] != '{') {
    ++n;
  }
  if (n > 0 && n < body.size() && IsBlank(body[n])) {
    std::optional<std::string> r = CallFunction(*this, x, body.substr(0, n), body.substr(n));
    if (r) return *r;
  }
  // A substitution reference $(var:a=b), at the top nesting level.
  const size_t colon = TopLevelColon(body);
  const size_t eq = colon == std::string_view::npos ? colon : body.find('=', colon + 1);
  if (eq == std::string_view::npos) return Lookup(Expand(body, x), x);
  const std::string name = Expand(body.substr(0, colon), x);
  std::string from = Expand(body.substr(colon + 1, eq - colon - 1), x);
  std::string to = Expand(body.substr(eq + 1), x);
  if (from.find('%') == std::string::npos) {
    from = "%" + from;
    to = "%" + to;
  }
  return PatternSubstitute(from, to, Lookup(name, x));
}

Alternatives Expander::ExpandAll(std::string_view text) {
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

}  // namespace modrace::make
