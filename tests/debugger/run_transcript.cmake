# Runs a command and compares its whole output (stdout and stderr, merged) with a transcript file,
# and its exit status with EXPECT_STATUS.
#
#   cmake -DEXPECT_STATUS=N -DTRANSCRIPT=path.expected [-DSUBST_DIR=dir] [-DUPDATE=1]
#         -P run_transcript.cmake -- command args...
#
# SUBST_DIR, when given, is replaced by "@BUILD@" in the output, so transcripts hold no machine's
# paths. On a mismatch the output is written beside the build (NAME.actual) and diffed. UPDATE=1
# rewrites the transcript instead (review the diff before committing it!).
set(command "")
set(collect FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
  if(collect)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(collect TRUE)
  endif()
endforeach()
if(NOT command OR NOT DEFINED TRANSCRIPT OR NOT DEFINED EXPECT_STATUS)
  message(FATAL_ERROR "usage: cmake -DEXPECT_STATUS=N -DTRANSCRIPT=file -P run_transcript.cmake -- command...")
endif()

execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out TIMEOUT 300)
if(SUBST_DIR)
  string(REPLACE "${SUBST_DIR}" "@BUILD@" out "${out}")
endif()

get_filename_component(name "${TRANSCRIPT}" NAME_WE)
if(UPDATE)
  file(WRITE "${TRANSCRIPT}" "${out}")
  message("run_transcript: wrote ${TRANSCRIPT} (exit status ${status})")
  return()
endif()

file(READ "${TRANSCRIPT}" expected)
set(problems "")
if(NOT status STREQUAL "${EXPECT_STATUS}")
  string(APPEND problems "exit status ${status}, expected ${EXPECT_STATUS}\n")
endif()
if(NOT out STREQUAL expected)
  set(actual_file "${CMAKE_CURRENT_BINARY_DIR}/${name}.actual")
  file(WRITE "${actual_file}" "${out}")
  string(APPEND problems "the output differs from ${TRANSCRIPT} (written to ${actual_file})\n")
  find_program(DIFF diff)
  if(DIFF)
    execute_process(COMMAND ${DIFF} -u "${TRANSCRIPT}" "${actual_file}" OUTPUT_VARIABLE diff_text)
    message("${diff_text}")
  else()
    message("--- output ---\n${out}")
  endif()
endif()
if(problems)
  message(FATAL_ERROR "run_transcript: ${problems}")
endif()
message("run_transcript: ok")
