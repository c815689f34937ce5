// `strata completion bash|zsh|fish`: a shell completion script generated from the CLI11 command
// tree itself (commands, options, fixed choices), so it never lags behind --help. Version numbers
// for `--to`, `down --to`, `repair`, `baseline` and `db reset --version` come at completion time
// from the hidden `strata __complete versions` (the project's migration files; no database).
// `strata __complete commands` lists every command path and its help (for the man pages).
#include <fmt/format.h>

#include <iostream>
#include <map>

#include "cli/command.hpp"
#include "migration/discover.hpp"

namespace strata::cli {
namespace {

// One option as the completion scripts need it.
struct OptionInfo {
  std::vector<std::string> longs;   // without "--"
  std::vector<std::string> shorts;  // without "-"
  std::string help;
  std::string kind;  // "" = flag; "value", "version", "dir", "file" or "choices:a b"
};

// One command: its path ("" for strata itself, "db start"), subcommands and own options.
struct CommandInfo {
  std::string path;
  std::string help;
  std::vector<std::pair<std::string, std::string>> subcommands;  // name, help
  std::vector<OptionInfo> options;
  std::string positional;  // what a positional argument completes to: "", "version", "file"
};

bool visible(const CLI::App* a) {
  return !a->get_group().empty();
}

// "{applied,reverted}" (CLI11's IsMember description) -> "applied reverted".
std::string choices_of(const CLI::Option* opt) {
  for (int i = 0;; ++i) {
    const CLI::Validator* v = nullptr;
    try {
      v = const_cast<CLI::Option*>(opt)->get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      return "";
    }
    std::string d = v->get_description();
    if (d.size() > 2 && d.front() == '{' && d.back() == '}') {
      std::string out = d.substr(1, d.size() - 2);
      for (char& c : out)
        if (c == ',') c = ' ';
      return out;
    }
  }
}

std::string value_kind(const std::string& path, const CLI::Option* opt) {
  if (opt->get_expected_max() == 0) return "";  // a flag
  if (std::string c = choices_of(opt); !c.empty()) return "choices:" + c;
  const auto& l = opt->get_lnames();
  auto has = [&](const char* n) { return std::find(l.begin(), l.end(), n) != l.end(); };
  if (has("to") && path != "db copy") return "version";
  if (has("version") && path == "db reset") return "version";
  if (has("workdir")) return "dir";
  if (has("targets")) return "file";
  return "value";
}

void collect(const CLI::App* app, const std::string& path, std::vector<CommandInfo>& out) {
  CommandInfo info;
  info.path = path;
  info.help = app->get_description();
  for (const CLI::Option* opt : app->get_options()) {
    if (opt->get_group().empty()) continue;
    if (!opt->nonpositional()) {
      std::string name = opt->get_name(true);
      if (name == "version" || name == "versions") info.positional = "version";
      if (name == "files") info.positional = "file";
      continue;
    }
    OptionInfo o;
    o.longs = opt->get_lnames();
    o.shorts = opt->get_snames();
    o.help = opt->get_description();
    o.kind = value_kind(path, opt);
    info.options.push_back(std::move(o));
  }
  std::vector<std::pair<const CLI::App*, std::string>> children;
  for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) {
    if (!visible(sub)) continue;
    info.subcommands.emplace_back(sub->get_name(), sub->get_description());
    children.emplace_back(sub, path.empty() ? sub->get_name() : path + " " + sub->get_name());
  }
  out.push_back(std::move(info));
  for (const auto& [sub, p] : children) collect(sub, p, out);
}

std::vector<std::string> option_words(const OptionInfo& o) {
  std::vector<std::string> w;
  for (const auto& l : o.longs) w.push_back("--" + l);
  for (const auto& s : o.shorts) w.push_back("-" + s);
  return w;
}

// The root's options that also apply under `c` (they fall through), minus those `c` spells
// itself (its own -h/--help; `db reset --version`).
std::vector<const OptionInfo*> global_options(const CommandInfo& c, const CommandInfo& root) {
  std::vector<const OptionInfo*> out;
  for (const auto& o : root.options) {
    bool clash = false;
    for (const auto& own : c.options)
      for (const auto& w : option_words(own))
        for (const auto& g : option_words(o)) clash = clash || w == g;
    if (!clash) out.push_back(&o);
  }
  return out;
}

// Single-quoted for sh-like shells (bash, zsh).
std::string sq(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Single-quoted for fish.
std::string fq(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string join_names(const std::vector<std::pair<std::string, std::string>>& v) {
  std::string out;
  for (const auto& [n, h] : v) out += (out.empty() ? "" : " ") + n;
  return out;
}

// Shared by bash and zsh: case tables over the command path.
std::string sh_tables(const std::vector<CommandInfo>& cmds, const CommandInfo& root, bool zsh) {
  std::string s;
  s += "_strata_subcommands() {\n  case \"$1\" in\n";
  for (const auto& c : cmds) {
    if (c.subcommands.empty()) continue;
    if (zsh) {
      std::string items;
      for (const auto& [n, h] : c.subcommands) items += " " + sq(n + ":" + h);
      s += fmt::format("    {}) reply=({}) ;;\n", sq(c.path), items);
    } else {
      s += fmt::format("    {}) echo {} ;;\n", sq(c.path), sq(join_names(c.subcommands)));
    }
  }
  s += zsh ? "    *) reply=() ;;\n" : "";
  s += "  esac\n}\n";
  s += "_strata_options() {\n  case \"$1\" in\n";
  for (const auto& c : cmds) {
    std::vector<const OptionInfo*> opts;
    for (const auto& o : c.options) opts.push_back(&o);
    if (!c.path.empty())
      for (const auto& o : global_options(c, root)) opts.push_back(o);
    std::string items;
    for (const OptionInfo* o : opts)
      for (const auto& w : option_words(*o))
        items += zsh ? " " + sq(w + ":" + o->help) : (items.empty() ? "" : " ") + w;
    s += zsh ? fmt::format("    {}) reply=({}) ;;\n", sq(c.path), items)
             : fmt::format("    {}) echo {} ;;\n", sq(c.path), sq(items));
  }
  s += zsh ? "    *) reply=() ;;\n" : "";
  s += "  esac\n}\n";
  // What the word after an option is: empty for flags.
  s += "_strata_value_kind() {\n  case \"$1|$2\" in\n";
  for (const auto& c : cmds)
    for (const auto& o : c.options) {
      if (o.kind.empty()) continue;
      for (const auto& w : option_words(o))  // root options: any path (an unquoted *)
        s += fmt::format("    {}{}) echo {} ;;\n", c.path.empty() ? "*" : "",
                         sq((c.path.empty() ? "" : c.path) + "|" + w), sq(o.kind));
    }
  s += "  esac\n}\n";
  s += "_strata_positional() {\n  case \"$1\" in\n";
  for (const auto& c : cmds)
    if (!c.positional.empty()) s += fmt::format("    {}) echo {} ;;\n", sq(c.path), c.positional);
  s += "  esac\n}\n";
  return s;
}

std::string bash_script(const std::vector<CommandInfo>& cmds) {
  std::string s =
      "# bash completion for strata, generated by `strata completion bash` from its command "
      "tree.\n# Load it with: source <(strata completion bash)\n";
  s += sh_tables(cmds, cmds.front(), false);
  s += R"SH(_strata_complete_value() {
  local IFS=$'\n'
  case "$1" in
    version)
      local args=(__complete versions)
      [[ -n "$3" ]] && args+=(--workdir "$3")
      COMPREPLY=($(compgen -W "$("$4" "${args[@]}" 2>/dev/null | cut -f1)" -- "$2")) ;;
    dir) COMPREPLY=($(compgen -d -- "$2")) ;;
    file) COMPREPLY=($(compgen -f -- "$2")) ;;
    choices:*)
      local choices="${1#choices:}"
      COMPREPLY=($(compgen -W "${choices// /$'\n'}" -- "$2")) ;;
  esac
}
_strata() {
  local cur="${COMP_WORDS[COMP_CWORD]}" cmdpath="" pending="" workdir="" w i kind
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
    if [[ -n "$pending" ]]; then
      [[ "$pending" == --workdir ]] && workdir="$w"
      pending=""
      continue
    fi
    if [[ "$w" == -* ]]; then
      [[ -n "$(_strata_value_kind "$cmdpath" "$w")" ]] && pending="$w"
      continue
    fi
    if [[ " $(_strata_subcommands "$cmdpath") " == *" $w "* ]]; then
      cmdpath="${cmdpath:+$cmdpath }$w"
    fi
  done
  if [[ -n "$pending" ]]; then
    _strata_complete_value "$(_strata_value_kind "$cmdpath" "$pending")" "$cur" "$workdir" "${COMP_WORDS[0]}"
    return
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_strata_options "$cmdpath")" -- "$cur"))
    return
  fi
  local subs
  subs="$(_strata_subcommands "$cmdpath")"
  if [[ -n "$subs" ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    return
  fi
  kind="$(_strata_positional "$cmdpath")"
  [[ -n "$kind" ]] && _strata_complete_value "$kind" "$cur" "$workdir" "${COMP_WORDS[0]}"
}
complete -F _strata strata
)SH";
  return s;
}

std::string zsh_script(const std::vector<CommandInfo>& cmds) {
  std::string s =
      "#compdef strata\n# zsh completion for strata, generated by `strata completion zsh` from "
      "its command tree.\n# Install as _strata in a folder of $fpath, or: source <(strata "
      "completion zsh)\n";
  // _describe takes "name:help"; a colon in a name must be escaped (none of strata's have one).
  s += sh_tables(cmds, cmds.front(), true);
  s += R"SH(_strata_value() {
  local -a items
  case "$1" in
    version)
      local -a args=(__complete versions)
      [[ -n "$2" ]] && args+=(--workdir "$2")
      items=(${(f)"$("$3" "${args[@]}" 2>/dev/null | tr '\t' ':')"})
      _describe -t versions 'version' items ;;
    dir) _directories ;;
    file) _files ;;
    choices:*) items=(${=${1#choices:}}); compadd -a items ;;
    *) _message 'value' ;;
  esac
}
_strata() {
  local -a reply
  local cmdpath="" pending="" workdir="" w i kind
  for ((i = 2; i < CURRENT; i++)); do
    w="${words[i]}"
    if [[ -n "$pending" ]]; then
      [[ "$pending" == --workdir ]] && workdir="$w"
      pending=""
      continue
    fi
    if [[ "$w" == -* ]]; then
      [[ -n "$(_strata_value_kind "$cmdpath" "$w")" ]] && pending="$w"
      continue
    fi
    _strata_subcommands "$cmdpath"
    if (( ${reply[(I)${w}:*]} )); then
      cmdpath="${cmdpath:+$cmdpath }$w"
    fi
  done
  local cur="${words[CURRENT]}"
  if [[ -n "$pending" ]]; then
    _strata_value "$(_strata_value_kind "$cmdpath" "$pending")" "$workdir" "${words[1]}"
    return
  fi
  if [[ "$cur" == -* ]]; then
    _strata_options "$cmdpath"
    _describe -t options 'option' reply
    return
  fi
  _strata_subcommands "$cmdpath"
  if (( ${#reply} )); then
    _describe -t commands 'command' reply
    return
  fi
  kind="$(_strata_positional "$cmdpath")"
  [[ -n "$kind" ]] && _strata_value "$kind" "$workdir" "${words[1]}"
}
if [[ "${funcstack[1]}" == _strata ]]; then
  _strata "$@"
else
  compdef _strata strata
fi
)SH";
  return s;
}

std::string fish_script(const std::vector<CommandInfo>& cmds) {
  const CommandInfo& root = cmds.front();
  std::string s =
      "# fish completion for strata, generated by `strata completion fish` from its command "
      "tree.\n# Install as strata.fish in ~/.config/fish/completions, or: strata completion fish "
      "| source\n";
  s += "function __strata_subcommands\n    switch \"$argv[1]\"\n";
  for (const auto& c : cmds) {
    if (c.subcommands.empty()) continue;
    std::string names;
    for (const auto& [n, h] : c.subcommands) names += " " + fq(n);
    s += fmt::format("        case {}\n            printf '%s\\n'{}\n", fq(c.path), names);
  }
  s += "    end\nend\n";
  s += "function __strata_value_kind\n    switch \"$argv[1]|$argv[2]\"\n";
  for (const auto& c : cmds)
    for (const auto& o : c.options) {
      if (o.kind.empty()) continue;
      for (const auto& w : option_words(o))  // root options: any path (an unquoted *)
        s += fmt::format("        case {}\n            echo {}\n",  // fish: quoted * still matches
                         fq((c.path.empty() ? "*" : c.path) + "|" + w), fq(o.kind));
    }
  s += "    end\nend\n";
  s +=
      R"FISH(# The command path typed so far ("", "up", "db start"); $__strata_workdir from --workdir.
function __strata_path
    set -l cmdpath ''
    set -l pending ''
    set -g __strata_workdir ''
    for w in (commandline -opc)[2..-1]
        if test -n "$pending"
            test "$pending" = --workdir; and set -g __strata_workdir $w
            set pending ''
            continue
        end
        if string match -q -- '-*' $w
            if test -n "$(__strata_value_kind "$cmdpath" $w)"
                set pending $w
            end
            continue
        end
        if contains -- $w (__strata_subcommands "$cmdpath")
            set cmdpath (string trim -- "$cmdpath $w")
        end
    end
    echo $cmdpath
end
function __strata_at
    test "$(__strata_path)" = "$argv[1]"
end
function __strata_versions
    __strata_path >/dev/null
    set -l cmd (commandline -opc)[1]
    if test -n "$__strata_workdir"
        command $cmd __complete versions --workdir $__strata_workdir 2>/dev/null
    else
        command $cmd __complete versions 2>/dev/null
    end
end
complete -c strata -e
)FISH";
  auto option_line = [](const std::string& cond, const OptionInfo& o) {
    std::string line = "complete -c strata";
    if (!cond.empty()) line += " -n " + fq(cond);
    for (const auto& l : o.longs) line += " -l " + fq(l);
    for (const auto& sh : o.shorts) line += " -s " + fq(sh);
    if (!o.help.empty()) line += " -d " + fq(o.help);
    if (o.kind == "version")
      line += " -r -f -a '(__strata_versions)'";
    else if (o.kind == "dir")
      line += " -r -f -a '(__fish_complete_directories)'";
    else if (o.kind == "file")
      line += " -r -F";
    else if (o.kind.rfind("choices:", 0) == 0)
      line += " -r -f -a " + fq(o.kind.substr(8));
    else if (o.kind == "value")
      line += " -r -f";
    return line + "\n";
  };
  for (const auto& o : root.options) s += option_line("", o);
  for (const auto& c : cmds) {
    std::string cond = "__strata_at " + fq(c.path);
    std::string files = c.positional == "file" ? "" : " -f";
    for (const auto& [n, h] : c.subcommands)
      s += fmt::format("complete -c strata{} -n {} -a {} -d {}\n", files, fq(cond), fq(n), fq(h));
    if (c.path.empty()) continue;
    for (const auto& o : c.options) s += option_line(cond, o);
    if (c.positional == "version")
      s += fmt::format("complete -c strata -f -n {} -a '(__strata_versions)'\n", fq(cond));
    else if (c.subcommands.empty() && c.positional.empty())
      s += fmt::format("complete -c strata -f -n {}\n", fq(cond));
  }
  return s;
}

const CLI::App* root_of(const CLI::App& cmd) {
  const CLI::App* a = &cmd;
  while (a->get_parent()) a = a->get_parent();
  return a;
}

void setup_completion(CLI::App& cmd, Globals&) {
  auto shell = std::make_shared<std::string>();
  cmd.add_option("shell", *shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd.callback([&cmd, shell] {
    std::vector<CommandInfo> cmds;
    collect(root_of(cmd), "", cmds);
    if (*shell == "bash")
      std::cout << bash_script(cmds);
    else if (*shell == "zsh")
      std::cout << zsh_script(cmds);
    else
      std::cout << fish_script(cmds);
  });
}

// Hidden helper for the scripts and the build: `__complete versions` (tab-separated version and
// name of every migration file of every source, in run order; nothing and exit 0 when there is
// no project), `__complete commands` (tab-separated path and help of every visible command).
void setup_helper(CLI::App& cmd, Globals& g) {
  cmd.group("");  // hidden from --help and from the completion scripts
  auto what = std::make_shared<std::string>();
  cmd.add_option("what", *what, "versions or commands")
      ->required()
      ->check(CLI::IsMember({"versions", "commands"}));
  cmd.callback([&cmd, &g, what] {
    if (*what == "commands") {
      std::vector<CommandInfo> cmds;
      collect(root_of(cmd), "", cmds);
      for (const auto& c : cmds) std::cout << c.path << "\t" << c.help << "\n";
      return;
    }
    try {
      Project p = load_project(g.workdir);
      for (const auto& src : p.sources)
        for (const auto& m : discover_migrations(p, src).migrations)
          std::cout << m.version << "\t" << m.name << "\n";
    } catch (const std::exception&) {
      // Completion must stay quiet: no project, no versions.
    }
  });
}

Register completion{
    {"completion", "Print a shell completion script: bash, zsh or fish", setup_completion}};
Register complete_helper{{"__complete", "Values for the completion scripts", setup_helper}};

}  // namespace
}  // namespace strata::cli
