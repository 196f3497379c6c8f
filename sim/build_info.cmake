# Writes OUT (a C header) with LUCSIM_COMMIT: the git commit lucsim is built from (short hash, with
# "-dirty" when tracked files differ), or "" outside a git checkout. Run at every build (a custom
# target), it rewrites OUT only when the value changed, so only the file that includes it recompiles.
# Usage: cmake -DSRC=<source dir> -DOUT=<header> -P build_info.cmake
set(commit "")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SRC}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SRC}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
  if(rc EQUAL 0)
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SRC}" diff-index --quiet HEAD --
                    RESULT_VARIABLE dirty ERROR_QUIET)
    if(NOT dirty EQUAL 0)
      string(APPEND commit "-dirty")
    endif()
  else()
    set(commit "")
  endif()
endif()
set(text "/* Generated at build time by sim/build_info.cmake: do not edit. */\n#define LUCSIM_COMMIT \"${commit}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
