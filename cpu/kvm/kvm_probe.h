// What this host's KVM can do for Lantern, found out by running tiny guests (issue 9's first
// step; the KVM backend itself is still to come). /dev/kvm can exist and still not serve: nested
// "PVM" hosts run legacy guests only through KVM's instruction emulator and have failed 32-bit
// paging, while a desktop with VT-x/AMD-V runs them natively. So the probe does not trust the
// capability list alone: it builds a VM with the same calls the backend will make
// (KVM_CREATE_VM, KVM_SET_USER_MEMORY_REGION, KVM_CREATE_VCPU, KVM_SET_SREGS/REGS, KVM_RUN) and
// runs one small guest per mode, each of which writes a byte to port E9h and halts:
//   real mode       16-bit code at 0000:1000
//   protected mode  flat 32-bit segments (descriptor caches set through KVM_SET_SREGS)
//   paging          the same with CR0.PG and an identity-mapped page table (4 KiB pages)
// Linux only; elsewhere the probe says KVM is absent.
#pragma once

#include <string>
#include <vector>

namespace lantern::kvm {

struct KvmModeResult {
    std::string mode;     // "real", "protected", "paging"
    bool ok = false;      // the guest wrote its byte to port E9h and halted
    std::string detail;   // what happened instead, or the exits seen
};

struct KvmProbe {
    bool opened = false;          // the device opened and answered as KVM
    std::string device;           // which one
    std::string why;              // why not, or why a VM could not be built
    int api_version = 0;          // KVM_GET_API_VERSION (12 for every stable kernel)
    std::vector<std::string> capabilities;  // the KVM_CHECK_EXTENSION answers the backend needs
    std::vector<KvmModeResult> modes;

    // True when every mode ran: the backend could serve every guest Lantern boots.
    bool serves_all() const;
};

KvmProbe probe_kvm(const std::string& device = "/dev/kvm");

// The report `lantern kvm-probe` prints.
std::string describe(const KvmProbe& p);

}  // namespace lantern::kvm
