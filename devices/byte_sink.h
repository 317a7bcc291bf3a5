// ByteSink: where a character device's output goes (the 0xE9 debug console now, serial ports
// later). Devices write to this small interface and never to std::cout, so the host decides:
// stdout, a file, a string in a test, a GUI pane, or nowhere.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace lantern {

class ByteSink {
public:
    virtual ~ByteSink() = default;
    virtual void put(std::uint8_t byte) = 0;
    virtual void flush() {}
};

// Discards everything.
class NullSink final : public ByteSink {
public:
    void put(std::uint8_t) override {}
};

// Collects output in memory (tests, the GUI's console pane).
class StringSink final : public ByteSink {
public:
    void put(std::uint8_t byte) override { text_.push_back(static_cast<char>(byte)); }
    const std::string& text() const { return text_; }
    void clear() { text_.clear(); }

private:
    std::string text_{};
};

// Writes to a C stdio stream: stdout, or a file this sink opens and owns. Bytes pass through
// unchanged (no newline translation: the guest's bytes are the record).
class FileSink final : public ByteSink {
public:
    // Borrows an open stream (e.g. stdout); never closes it.
    explicit FileSink(std::FILE* stream) : stream_(stream) {}
    // Opens `path` for writing, truncating it; ok() says whether that worked.
    explicit FileSink(const std::string& path) : stream_(std::fopen(path.c_str(), "wb")), owned_(true) {}
    ~FileSink() override {
        if (owned_ && stream_) std::fclose(stream_);
        else if (stream_) std::fflush(stream_);
    }
    FileSink(const FileSink&) = delete;
    FileSink& operator=(const FileSink&) = delete;

    bool ok() const { return stream_ != nullptr; }
    void put(std::uint8_t byte) override {
        if (stream_) std::fputc(byte, stream_);
    }
    void flush() override {
        if (stream_) std::fflush(stream_);
    }

private:
    std::FILE* stream_ = nullptr;
    bool owned_ = false;
};

}  // namespace lantern
