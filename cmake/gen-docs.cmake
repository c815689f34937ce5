# Generates the shell completions and man pages from the built strata itself, so they always say
# what its --help says (run after every link of `strata`; see cmake/install.cmake):
#   cmake -DSTRATA=<built strata> -DOUT=<folder> -DVERSION=<x.y.z> -P cmake/gen-docs.cmake
# Writes <OUT>/completions/{strata,_strata,strata.fish} (`strata completion bash|zsh|fish`) and
# <OUT>/man/man1/strata.1 plus strata-<command>.1 for every command (`strata __complete commands`
# lists them), each made by Debian's help2man from `strata <command> --help`.
foreach(var STRATA OUT VERSION)
  if(NOT ${var})
    message(FATAL_ERROR "gen-docs.cmake needs -D${var}=...")
  endif()
endforeach()

file(MAKE_DIRECTORY ${OUT}/completions ${OUT}/man/man1 ${OUT}/wrappers)
foreach(pair "bash;strata" "zsh;_strata" "fish;strata.fish")
  list(GET pair 0 shell)
  list(GET pair 1 name)
  execute_process(COMMAND ${STRATA} completion ${shell} OUTPUT_FILE ${OUT}/completions/${name}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "strata completion ${shell} failed (${rc})")
  endif()
endforeach()

find_program(HELP2MAN help2man)
if(NOT HELP2MAN)
  message(FATAL_ERROR "help2man not found: run `bash scripts/deps.sh` (or apt-get install help2man)")
endif()

execute_process(COMMAND ${STRATA} __complete commands OUTPUT_VARIABLE commands RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "strata __complete commands failed (${rc})")
endif()
file(GLOB old_pages ${OUT}/man/man1/*.1)
if(old_pages)
  file(REMOVE ${old_pages})
endif()
string(REPLACE ";" "@SEMICOLON@" commands "${commands}")
string(REPLACE "\n" ";" commands "${commands}")
foreach(line IN LISTS commands)
  if(line STREQUAL "")
    continue()
  endif()
  string(FIND "${line}" "\t" tab)
  string(SUBSTRING "${line}" 0 ${tab} path)
  math(EXPR start "${tab} + 1")
  string(SUBSTRING "${line}" ${start} -1 help)
  string(REPLACE "@SEMICOLON@" ";" help "${help}")
  if(path STREQUAL "")
    set(page strata)
    set(program ${STRATA})
    set(see_also "strata-up(1), strata-status(1), strata-doctor(1), strata-completion(1)")
  else()
    # help2man names the page after the program it runs: a one-line wrapper per command.
    string(REPLACE " " "-" page "strata-${path}")
    set(program ${OUT}/wrappers/${page})
    file(WRITE ${program} "#!/bin/sh\nexec '${STRATA}' ${path} \"$@\"\n")
    file(CHMOD ${program} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
         GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
    set(see_also "strata(1)")
  endif()
  file(WRITE ${OUT}/wrappers/${page}.h2m
       "[SEE ALSO]\n${see_also}\n\nEach command has a page in strata's docs/commands/ folder.\n")
  execute_process(
    COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section=1 --version-string=${VERSION}
            "--name=${help}" --include=${OUT}/wrappers/${page}.h2m
            --output=${OUT}/man/man1/${page}.1 ${program}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man for `strata ${path}` failed: ${err}")
  endif()
endforeach()
