# Runs a command and checks both its exit status and its output - ctest's PASS/FAIL regular
# expressions alone ignore the status, and the status alone ignores what was printed.
#
#   cmake -DEXPECT_STATUS=1 [-DEXPECT_OUTPUT=regex] [-DREJECT_OUTPUT=regex]
#         [-DEXPECT_FILE=path -DEXPECT_FILE_OUTPUT=regex] -P run_expect.cmake -- command args...
#
# EXPECT_OUTPUT must match stdout+stderr; REJECT_OUTPUT must not. EXPECT_FILE, when given, is
# deleted before the run and must afterwards exist and match EXPECT_FILE_OUTPUT.
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
if(NOT command)
  message(FATAL_ERROR "run_expect.cmake: no command after --")
endif()
if(NOT DEFINED EXPECT_STATUS)
  message(FATAL_ERROR "run_expect.cmake: -DEXPECT_STATUS=N is required")
endif()

if(EXPECT_FILE)
  file(REMOVE "${EXPECT_FILE}")
endif()

execute_process(COMMAND ${command}
                RESULT_VARIABLE status
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err
                TIMEOUT 300)
# Show everything, so a failure in ctest --output-on-failure explains itself.
string(REPLACE ";" " " command_text "${command}")
message("$ ${command_text}\n--- stdout ---\n${out}--- stderr ---\n${err}--- exit status: ${status}")

set(problems "")
if(NOT status STREQUAL "${EXPECT_STATUS}")
  string(APPEND problems "exit status ${status}, expected ${EXPECT_STATUS}\n")
endif()
set(all "${out}${err}")
if(DEFINED EXPECT_OUTPUT AND NOT EXPECT_OUTPUT STREQUAL "" AND NOT all MATCHES "${EXPECT_OUTPUT}")
  string(APPEND problems "output does not match the expected pattern\n")
endif()
if(DEFINED REJECT_OUTPUT AND NOT REJECT_OUTPUT STREQUAL "" AND all MATCHES "${REJECT_OUTPUT}")
  string(APPEND problems "output matches the rejected pattern\n")
endif()
if(EXPECT_FILE)
  if(NOT EXISTS "${EXPECT_FILE}")
    string(APPEND problems "${EXPECT_FILE} was not written\n")
  else()
    file(READ "${EXPECT_FILE}" file_text)
    if(NOT file_text MATCHES "${EXPECT_FILE_OUTPUT}")
      string(APPEND problems "${EXPECT_FILE} does not match the expected pattern\n")
    endif()
  endif()
endif()

if(problems)
  message(FATAL_ERROR "run_expect: ${problems}")
endif()
message("run_expect: ok")
