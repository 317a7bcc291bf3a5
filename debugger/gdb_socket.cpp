#include "debugger/gdb_socket.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lantern {

GdbListener::~GdbListener() {
    if (fd_ >= 0) ::close(fd_);
}

std::string GdbListener::listen(const std::string& address, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    addrinfo* result = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = ::getaddrinfo(address.c_str(), service.c_str(), &hints, &result); rc != 0)
        return "bad listen address '" + address + "': " + ::gai_strerror(rc);
    std::string error = "no usable address";
    for (addrinfo* ai = result; ai; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            error = std::strerror(errno);
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, 1) != 0) {
            error = std::strerror(errno);
            ::close(fd);
            continue;
        }
        sockaddr_storage bound{};
        socklen_t len = sizeof bound;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
        port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                  : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
        fd_ = fd;
        ::freeaddrinfo(result);
        return {};
    }
    ::freeaddrinfo(result);
    return "cannot listen on " + address + ":" + service + ": " + error;
}

bool GdbListener::pending() const {
    if (fd_ < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

std::unique_ptr<GdbTransport> GdbListener::accept() {
    if (fd_ < 0) return nullptr;
    for (;;) {
        const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
            // Packets are small and interactive: send them at once.
            const int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return std::make_unique<TcpTransport>(fd);
        }
        if (errno != EINTR) return nullptr;
    }
}

TcpTransport::~TcpTransport() {
    if (fd_ >= 0) ::close(fd_);
}

bool TcpTransport::receive(std::string& out, bool wait) {
    if (closed_) return false;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, wait ? -1 : 0);
    if (ready < 0) return errno == EINTR;
    if (ready == 0) return true;
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) return errno == EINTR || errno == EAGAIN;
    if (n == 0) {
        closed_ = true;
        return false;
    }
    out.append(buf, static_cast<std::size_t>(n));
    return true;
}

bool TcpTransport::read(std::string& out) {
    const std::size_t before = out.size();
    while (out.size() == before)
        if (!receive(out, true)) return false;
    return true;
}

bool TcpTransport::poll(std::string& out) { return receive(out, false); }

bool TcpTransport::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            closed_ = true;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace lantern
