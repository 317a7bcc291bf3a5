#include "cpu/kvm/kvm_probe.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <sstream>

#if defined(__linux__)
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace lantern::kvm {

bool KvmProbe::serves_all() const {
    if (!opened || modes.empty()) return false;
    for (const KvmModeResult& m : modes)
        if (!m.ok) return false;
    return true;
}

#if defined(__linux__)
namespace {

// A file descriptor closed when it goes.
struct Fd {
    int fd = -1;
    explicit Fd(int f = -1) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

std::string errno_text(const char* call) { return std::string(call) + ": " + std::strerror(errno); }

constexpr std::uint64_t kGuestBytes = 4u << 20;  // 4 MiB: code, GDT-less flat segments, page tables
constexpr std::uint32_t kCodeAt = 0x1000;
constexpr std::uint32_t kPageDirAt = 0x2000;
constexpr std::uint32_t kPageTableAt = 0x3000;
constexpr std::uint16_t kProbePort = 0xE9;

// A flat segment as KVM_SET_SREGS takes it: base 0, limit 4 GiB, present, DPL 0 (SDM Vol. 3,
// 3.4.5: a code segment is type 0xB execute/read accessed, data 0x3 read/write accessed).
kvm_segment flat_segment(std::uint16_t selector, bool code) {
    kvm_segment s{};
    s.base = 0;
    s.limit = 0xFFFFFFFFu;
    s.selector = selector;
    s.type = code ? 0xB : 0x3;
    s.present = 1;
    s.dpl = 0;
    s.db = 1;
    s.s = 1;
    s.l = 0;
    s.g = 1;
    return s;
}

KvmModeResult run_guest(int kvm_fd, int run_size, const std::string& mode) {
    KvmModeResult r;
    r.mode = mode;
    Fd vm(::ioctl(kvm_fd, KVM_CREATE_VM, 0));
    if (vm.fd < 0) {
        r.detail = errno_text("KVM_CREATE_VM");
        return r;
    }
    void* mem = ::mmap(nullptr, kGuestBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) {
        r.detail = errno_text("mmap guest memory");
        return r;
    }
    struct Unmap {
        void* p;
        ~Unmap() { ::munmap(p, kGuestBytes); }
    } unmap{mem};
    auto* ram = static_cast<std::uint8_t*>(mem);

    kvm_userspace_memory_region region{};
    region.slot = 0;
    region.guest_phys_addr = 0;
    region.memory_size = kGuestBytes;
    region.userspace_addr = reinterpret_cast<std::uint64_t>(mem);
    if (::ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
        r.detail = errno_text("KVM_SET_USER_MEMORY_REGION");
        return r;
    }

    // The guest: write a marker byte to port E9h, then HLT.
    const std::uint8_t marker = static_cast<std::uint8_t>(mode[0]);
    if (mode == "real") {
        const std::uint8_t code[] = {0xBA, 0xE9, 0x00,  // mov dx, 0xE9
                                     0xB0, marker,      // mov al, marker
                                     0xEE,              // out dx, al
                                     0xF4};             // hlt
        std::memcpy(ram + kCodeAt, code, sizeof code);
    } else {
        const std::uint8_t code[] = {0xBA, 0xE9, 0x00, 0x00, 0x00,  // mov edx, 0xE9
                                     0xB0, marker,                  // mov al, marker
                                     0xEE,                          // out dx, al
                                     0xF4};                         // hlt
        std::memcpy(ram + kCodeAt, code, sizeof code);
    }
    if (mode == "paging") {
        // One page directory entry -> one page table mapping the first 4 MiB to itself
        // (present, writable; SDM Vol. 3, 4.3 "32-bit paging").
        auto put32 = [ram](std::uint32_t at, std::uint32_t v) { std::memcpy(ram + at, &v, 4); };
        put32(kPageDirAt, kPageTableAt | 0x3);
        for (std::uint32_t i = 0; i < 1024; ++i) put32(kPageTableAt + i * 4, (i << 12) | 0x3);
    }

    Fd vcpu(::ioctl(vm.fd, KVM_CREATE_VCPU, 0));
    if (vcpu.fd < 0) {
        r.detail = errno_text("KVM_CREATE_VCPU");
        return r;
    }
    void* run_map = ::mmap(nullptr, static_cast<std::size_t>(run_size), PROT_READ | PROT_WRITE, MAP_SHARED, vcpu.fd, 0);
    if (run_map == MAP_FAILED) {
        r.detail = errno_text("mmap kvm_run");
        return r;
    }
    struct UnmapRun {
        void* p;
        int n;
        ~UnmapRun() { ::munmap(p, static_cast<std::size_t>(n)); }
    } unmap_run{run_map, run_size};
    auto* run = static_cast<kvm_run*>(run_map);

    kvm_sregs sregs{};
    if (::ioctl(vcpu.fd, KVM_GET_SREGS, &sregs) < 0) {
        r.detail = errno_text("KVM_GET_SREGS");
        return r;
    }
    kvm_regs regs{};
    regs.rflags = 0x2;  // bit 1 always reads 1
    if (mode == "real") {
        sregs.cs.selector = 0;
        sregs.cs.base = 0;
        regs.rip = kCodeAt;
    } else {
        sregs.cs = flat_segment(0x08, true);
        sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = flat_segment(0x10, false);
        sregs.cr0 |= 0x1;  // PE
        if (mode == "paging") {
            sregs.cr3 = kPageDirAt;
            sregs.cr0 |= 0x80000000u;  // PG
        }
        regs.rip = kCodeAt;
        regs.rsp = 0x8000;
    }
    if (::ioctl(vcpu.fd, KVM_SET_SREGS, &sregs) < 0) {
        r.detail = errno_text("KVM_SET_SREGS");
        return r;
    }
    if (::ioctl(vcpu.fd, KVM_SET_REGS, &regs) < 0) {
        r.detail = errno_text("KVM_SET_REGS");
        return r;
    }

    bool wrote = false;
    std::ostringstream exits;
    for (int n = 0; n < 16; ++n) {
        if (::ioctl(vcpu.fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR) continue;
            r.detail = errno_text("KVM_RUN");
            return r;
        }
        switch (run->exit_reason) {
            case KVM_EXIT_IO: {
                const auto* data = reinterpret_cast<const std::uint8_t*>(run) + run->io.data_offset;
                exits << "io(" << std::hex << run->io.port << "=" << unsigned(*data) << std::dec << ") ";
                if (run->io.direction == KVM_EXIT_IO_OUT && run->io.port == kProbePort && run->io.size == 1 &&
                    *data == marker)
                    wrote = true;
                continue;
            }
            case KVM_EXIT_HLT:
                exits << "hlt";
                r.ok = wrote;
                r.detail = wrote ? "ran: " + exits.str() : "halted without writing port E9h: " + exits.str();
                return r;
            case KVM_EXIT_SHUTDOWN:
                r.detail = "the guest shut down (triple fault or reset): " + exits.str();
                return r;
            case KVM_EXIT_FAIL_ENTRY:
                r.detail = "KVM could not enter the guest (hardware entry failure reason " +
                           std::to_string(run->fail_entry.hardware_entry_failure_reason) + ")";
                return r;
            case KVM_EXIT_INTERNAL_ERROR:
                r.detail = "KVM internal error (suberror " + std::to_string(run->internal.suberror) +
                           "): its instruction emulator could not run the guest";
                return r;
            default:
                exits << "exit" << run->exit_reason << " ";
                r.detail = "unexpected exit " + std::to_string(run->exit_reason) + ": " + exits.str();
                return r;
        }
    }
    r.detail = "no HLT after 16 exits: " + exits.str();
    return r;
}

}  // namespace

KvmProbe probe_kvm(const std::string& device) {
    KvmProbe p;
    Fd kvm(::open(device.c_str(), O_RDWR | O_CLOEXEC));
    if (kvm.fd < 0) {
        p.why = errno == ENOENT   ? device + " does not exist (no KVM module loaded, or not a Linux host with virtualisation)"
                : errno == EACCES ? "no permission to open " + device + " (add yourself to the kvm group)"
                                  : errno_text(("open " + device).c_str());
        return p;
    }
    p.api_version = ::ioctl(kvm.fd, KVM_GET_API_VERSION, 0);
    if (p.api_version < 0) {
        p.why = device + " is not a KVM device (" + errno_text("KVM_GET_API_VERSION") + ")";
        return p;
    }
    p.opened = true;
    p.device = device;
    if (p.api_version != KVM_API_VERSION) {
        p.why = "KVM API version " + std::to_string(p.api_version) + ", expected " + std::to_string(KVM_API_VERSION);
        return p;
    }
    const struct {
        int cap;
        const char* name;
    } caps[] = {{KVM_CAP_USER_MEMORY, "user_memory"},
                {KVM_CAP_SET_GUEST_DEBUG, "set_guest_debug"},
                {KVM_CAP_READONLY_MEM, "readonly_mem"},
                {KVM_CAP_EXT_CPUID, "ext_cpuid"},
                {KVM_CAP_SYNC_MMU, "sync_mmu"},
                {KVM_CAP_IMMEDIATE_EXIT, "immediate_exit"}};
    for (const auto& c : caps)
        if (::ioctl(kvm.fd, KVM_CHECK_EXTENSION, c.cap) > 0) p.capabilities.emplace_back(c.name);
    const int run_size = ::ioctl(kvm.fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (run_size <= 0) {
        p.why = errno_text("KVM_GET_VCPU_MMAP_SIZE");
        return p;
    }
    for (const char* mode : {"real", "protected", "paging"}) p.modes.push_back(run_guest(kvm.fd, run_size, mode));
    return p;
}

#else

KvmProbe probe_kvm(const std::string&) {
    KvmProbe p;
    p.why = "KVM exists on Linux hosts only";
    return p;
}

#endif

std::string describe(const KvmProbe& p) {
    std::ostringstream out;
    if (!p.opened) {
        out << "KVM: not available: " << p.why << "\n";
        return out.str();
    }
    out << "KVM: " << p.device << " opened, API version " << p.api_version << "\n";
    if (!p.why.empty()) out << "  cannot build a VM: " << p.why << "\n";
    out << "  capabilities:";
    for (const auto& c : p.capabilities) out << ' ' << c;
    out << "\n";
    for (const KvmModeResult& m : p.modes)
        out << "  " << m.mode << " mode: " << (m.ok ? "runs" : "FAILS") << " (" << m.detail << ")\n";
    out << (p.serves_all() ? "KVM can run every mode the probe tries.\n"
                           : "KVM cannot serve every mode here: Lantern runs guests in its interpreter.\n");
    return out.str();
}

}  // namespace lantern::kvm
