#include "devices/serial/serial_backend.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace lantern {

std::unique_ptr<FileSerialBackend> FileSerialBackend::open(const std::string& path, std::string& error) {
    // Opened once, for the whole run: re-opening per byte would lose the file to a concurrent
    // rename and cost a system call per character.
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
        error = "cannot write " + path + ": " + std::strerror(errno);
        return nullptr;
    }
    return std::unique_ptr<FileSerialBackend>(new FileSerialBackend(f, path));
}

FileSerialBackend::~FileSerialBackend() {
    if (file_) std::fclose(file_);
}

void FileSerialBackend::transmit(std::uint8_t byte, Cycles) {
    if (file_) std::fputc(byte, file_);
}

void FileSerialBackend::flush() {
    if (file_) std::fflush(file_);
}

std::string CaptureSerialBackend::text() const {
    std::string s;
    s.reserve(sent_.size());
    for (const Sent& b : sent_) s.push_back(static_cast<char>(b.byte));
    return s;
}

std::optional<SerialSpec> parse_serial_spec(std::string_view text, std::string& error) {
    if (text == "stdio") return SerialSpec{SerialSpec::Kind::Stdio, {}};
    if (text == "none") return SerialSpec{SerialSpec::Kind::None, {}};
    if (text.starts_with("file:")) {
        if (text.size() == 5) {
            error = "bad serial back-end 'file:': give a path after 'file:', e.g. file:com1.txt";
            return std::nullopt;
        }
        return SerialSpec{SerialSpec::Kind::File, std::string(text.substr(5))};
    }
    error = "bad serial back-end '" + std::string(text) + "': give stdio, none or file:PATH";
    return std::nullopt;
}

std::unique_ptr<SerialBackend> make_serial_backend(const SerialSpec& spec, std::string& error) {
    switch (spec.kind) {
        case SerialSpec::Kind::None: return std::make_unique<NullSerialBackend>();
        case SerialSpec::Kind::Stdio: return std::make_unique<StdioSerialBackend>();
        case SerialSpec::Kind::File: return FileSerialBackend::open(spec.path, error);
    }
    error = "unknown serial back-end kind";
    return nullptr;
}

std::size_t HostSerialInput::poll(Cycles now, std::size_t max_bytes, const Deliver& deliver) {
    if (at_end_ || fd_ < 0 || max_bytes == 0) return 0;
    pollfd p{fd_, POLLIN, 0};
    // A zero timeout: look, never wait. The host's pace must not leak into virtual time.
    const int ready = ::poll(&p, 1, 0);
    if (ready <= 0) return 0;  // nothing yet (or EINTR: try again next slice)
    if ((p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) == 0) return 0;
    if (p.revents & POLLNVAL) {
        at_end_ = true;
        return 0;
    }
    std::array<std::uint8_t, kMaxBytesPerPoll> buf{};
    const std::size_t want = std::min(max_bytes, buf.size());
    const ssize_t got = ::read(fd_, buf.data(), want);
    if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
        at_end_ = true;  // end of file, or the terminal went away
        return 0;
    }
    if (got < 0) return 0;
    for (ssize_t i = 0; i < got; ++i) deliver(buf[static_cast<std::size_t>(i)], now);
    bytes_delivered_ += static_cast<std::uint64_t>(got);
    return static_cast<std::size_t>(got);
}

}  // namespace lantern
