# video.cmake - build rules of the video BIOS part, include()d by bios/CMakeLists.txt.
#
# Generates the three text fonts (8x8, 8x14, 8x16, code page 437) into
# ${LANTERN_BIOS_GEN_DIR}/video/font8x<N>.inc, where vgabios.asm %includes them. They are
# converted from Debian's console-setup-linux VGA console fonts by lantern_font_tool (a small
# C++ program built here), with the characters those fonts lack taken from the hand-drawn
# font_supplement.txt. Sources and licence: FONTS.md.

set(LANTERN_CONSOLE_FONT_DIR /usr/share/consolefonts CACHE PATH
    "Where the console-setup-linux fonts (Uni2-VGA8/14/16.psf.gz) are installed")
foreach(h 8 14 16)
  if(NOT EXISTS ${LANTERN_CONSOLE_FONT_DIR}/Uni2-VGA${h}.psf.gz)
    message(FATAL_ERROR "The video BIOS fonts are built from ${LANTERN_CONSOLE_FONT_DIR}/Uni2-VGA${h}.psf.gz "
                        "(Debian package console-setup-linux); run .ci/install-deps.")
  endif()
endforeach()

add_executable(lantern_font_tool ${CMAKE_CURRENT_LIST_DIR}/font_tool.cpp
               ${PROJECT_SOURCE_DIR}/devices/vga/cp437.cpp)
target_include_directories(lantern_font_tool PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(lantern_font_tool PRIVATE ZLIB::ZLIB)

file(MAKE_DIRECTORY ${LANTERN_BIOS_GEN_DIR}/video)
foreach(h 8 14 16)
  set(out ${LANTERN_BIOS_GEN_DIR}/video/font8x${h}.inc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND lantern_font_tool --psf ${LANTERN_CONSOLE_FONT_DIR}/Uni2-VGA${h}.psf.gz --height ${h}
            --supplement ${CMAKE_CURRENT_LIST_DIR}/font_supplement.txt --out ${out}
    DEPENDS lantern_font_tool ${LANTERN_CONSOLE_FONT_DIR}/Uni2-VGA${h}.psf.gz
            ${CMAKE_CURRENT_LIST_DIR}/font_supplement.txt
    COMMENT "Converting the 8x${h} video BIOS font"
    VERBATIM)
  list(APPEND LANTERN_VIDEO_GENERATED ${out})
endforeach()
