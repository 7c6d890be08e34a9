// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/make_evaluator.h"

#include "kbuild/make_assignment.h"
#include "kbuild/make_text.h"

namespace modrace::make {

namespace {

// The text of a line kept as the origin of what it adds.
constexpr size_t kMaxOriginText = 240;

}  // namespace

void Evaluator::Set(std::string_view name, std::string_view value) {
  vars_[std::string(name)] = Variable{std::string(value), false};
}

std::vector<std::string> Evaluator::Words(std::string_view name) {
  return UnionWords(expander_.ExpandAll("$(" + std::string(name) + ")"));
}

void Evaluator::Run(std::string_view content, std::string_view file) {
  const std::string file_name(file);
  const size_t floor = conditionals_.depth();
  LineReader lines(content);
  LogicalLine line;
  bool in_rule = false;
  while (lines.Next(&line)) {
    if (line.starts_with_tab && in_rule) continue;  // a recipe
    StripComment(&line.text);
    const std::string_view text = Trim(line.text);
    if (text.empty()) continue;
    const Keyword keyword = SplitKeyword(text);
    if (RunConditional(keyword, floor)) continue;
    if (keyword.word == "define") {
      RunDefine(keyword.rest, lines);
      continue;
    }
    if (!conditionals_.Active()) continue;
    const KbuildOrigin origin{file_name, line.number, std::string(text.substr(0, kMaxOriginText))};
    in_rule = RunStatement(text, keyword, origin);
  }
  if (conditionals_.depth() > floor) {
    problems_.push_back(file_name + ": missing endif");
    conditionals_.CloseTo(floor);
  }
}

bool Evaluator::RunConditional(const Keyword& keyword, size_t floor) {
  if (IsConditional(keyword.word)) {
    conditionals_.Open(keyword.word, keyword.rest);
  } else if (keyword.word == "else") {
    conditionals_.Else(keyword.rest);
  } else if (keyword.word == "endif") {
    conditionals_.End(floor);
  } else {
    return false;
  }
  return true;
}

void Evaluator::RunDefine(std::string_view rest, LineReader& lines) {
  const bool active = conditionals_.Active();
  std::string name;
  if (active) {
    Expansion x;
    name = std::string(Trim(expander_.Expand(DefineName(rest), x)));
  }
  std::optional<std::string> body = ReadDefineBody(lines);
  if (body && active) vars_[name] = Variable{std::move(*body), true};
}

bool Evaluator::RunStatement(std::string_view text, const Keyword& keyword,
                             const KbuildOrigin& origin) {
  if (keyword.word == "include" || keyword.word == "-include" || keyword.word == "sinclude") {
    RunInclude(keyword.rest, keyword.word != "include", origin);
    return false;
  }
  const Statement statement = StripModifiers(text, keyword);
  if (statement.text.empty() || statement.word == "vpath" || statement.word == "undefine") {
    return false;
  }
  Assignment assignment;
  const LineKind kind = ParseAssignment(statement.text, &assignment);
  if (kind == LineKind::kAssignment) {
    Assign(expander_, assignment, conditionals_.Uncertain(), origin, &obj_words_);
  }
  return kind == LineKind::kRule;  // neither: e.g. a bare $(eval ...)
}

void Evaluator::RunInclude(std::string_view rest, bool optional, const KbuildOrigin& origin) {
  for (const auto& path : UnionWords(expander_.ExpandAll(rest))) {
    const std::optional<std::string> content = includes_.Open(path, optional, origin, &problems_);
    if (!content) continue;
    Run(*content, path);
    includes_.Close();
  }
}

}  // namespace modrace::make
