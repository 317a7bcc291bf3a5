# lantern_embed_binary(): a build-time file (a ROM, a disk image, a symbol map) compiled into the
# program as a byte array, through cmake/embed_binary.cmake.
#
#   lantern_embed_binary(OUTPUT file.cpp INPUT file.bin HEADER dir/header.h FUNCTION name
#                        COMMENT "Embedding ..." [NAMESPACE ns] [SIZE bytes])
#
# NAMESPACE defaults to lantern::assets; SIZE pads the array with zeros (embed_binary.cmake).
function(lantern_embed_binary)
  cmake_parse_arguments(E "" "OUTPUT;INPUT;HEADER;FUNCTION;COMMENT;NAMESPACE;SIZE" "" ${ARGN})
  if(NOT E_NAMESPACE)
    set(E_NAMESPACE lantern::assets)
  endif()
  set(size_arg "")
  if(E_SIZE)
    set(size_arg -DSIZE=${E_SIZE})
  endif()
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${E_INPUT} -DOUTPUT=${E_OUTPUT} ${size_arg}
            -DHEADER=${E_HEADER} -DNAMESPACE=${E_NAMESPACE} -DFUNCTION=${E_FUNCTION}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_binary.cmake
    DEPENDS ${E_INPUT} ${PROJECT_SOURCE_DIR}/cmake/embed_binary.cmake
    COMMENT "${E_COMMENT}"
    VERBATIM)
endfunction()
