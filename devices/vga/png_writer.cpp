#include "devices/vga/png_writer.h"

#include <cstdio>

// The one translation unit that instantiates stb_image_write (the header is C, warnings off).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include "stb_image_write.h"
#pragma GCC diagnostic pop

namespace lantern {

namespace {

void append_bytes(void* context, void* data, int size) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(context);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
}

}  // namespace

std::vector<std::uint8_t> encode_png(const Frame& frame) {
    std::vector<std::uint8_t> png;
    if (frame.width == 0 || frame.height == 0 || frame.pixels.size() < std::size_t{frame.width} * frame.height)
        return png;
    std::vector<std::uint8_t> rgb(std::size_t{frame.width} * frame.height * 3);
    for (std::size_t i = 0; i < std::size_t{frame.width} * frame.height; ++i) {
        const std::uint32_t c = frame.pixels[i];
        rgb[3 * i] = static_cast<std::uint8_t>(c >> 16);
        rgb[3 * i + 1] = static_cast<std::uint8_t>(c >> 8);
        rgb[3 * i + 2] = static_cast<std::uint8_t>(c);
    }
    const int w = static_cast<int>(frame.width), h = static_cast<int>(frame.height);
    if (!stbi_write_png_to_func(append_bytes, &png, w, h, 3, rgb.data(), w * 3)) png.clear();
    return png;
}

bool write_png(const Frame& frame, const std::string& path) {
    const std::vector<std::uint8_t> png = encode_png(frame);
    if (png.empty()) return false;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return false;
    const bool ok = std::fwrite(png.data(), 1, png.size(), f) == png.size();
    return std::fclose(f) == 0 && ok;
}

}  // namespace lantern
