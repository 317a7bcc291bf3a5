// A TCP endpoint for the gdb stub (POSIX sockets): listen on one address, accept one gdb.
//
// Listens on 127.0.0.1 unless told otherwise: a gdb stub can read and write all of the guest's
// memory, so it is not offered to the network by default. Port 0 asks the system for a free port
// (port() says which), for tests that run in parallel.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "debugger/gdb_stub.h"

namespace lantern {

class GdbListener {
public:
    GdbListener() = default;
    ~GdbListener();
    GdbListener(const GdbListener&) = delete;
    GdbListener& operator=(const GdbListener&) = delete;

    // Binds and listens on `address` (a numeric IPv4 or IPv6 address). Empty string on success,
    // otherwise why not.
    std::string listen(const std::string& address, std::uint16_t port);
    std::uint16_t port() const { return port_; }
    // Whether a connection is waiting (never blocks).
    bool pending() const;
    // Blocks until gdb connects; null if accepting failed.
    std::unique_ptr<GdbTransport> accept();

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

// A connected socket as a GdbTransport.
class TcpTransport final : public GdbTransport {
public:
    explicit TcpTransport(int fd) : fd_(fd) {}
    ~TcpTransport() override;
    TcpTransport(const TcpTransport&) = delete;
    TcpTransport& operator=(const TcpTransport&) = delete;

    bool read(std::string& out) override;
    bool poll(std::string& out) override;
    bool write(std::string_view bytes) override;

private:
    bool receive(std::string& out, bool wait);
    int fd_ = -1;
    bool closed_ = false;
};

}  // namespace lantern
