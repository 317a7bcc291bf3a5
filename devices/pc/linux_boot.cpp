#include "devices/pc/linux_boot.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <span>

#include "devices/machine.h"
#include "devices/port_map.h"
#include "devices/storage/block_device.h"

namespace lantern {

namespace {

// Offsets in the real-mode kernel header (boot.rst, "The real-mode kernel header").
constexpr std::size_t kSetupSects = 0x1F1;
constexpr std::size_t kBootFlag = 0x1FE;
constexpr std::size_t kHeaderMagic = 0x202;  // "HdrS"
constexpr std::size_t kVersion = 0x206;
constexpr std::size_t kTypeOfLoader = 0x210;
constexpr std::size_t kLoadflags = 0x211;
constexpr std::size_t kRamdiskImage = 0x218;
constexpr std::size_t kRamdiskSize = 0x21C;
constexpr std::size_t kHeapEndPtr = 0x224;
constexpr std::size_t kCmdLinePtr = 0x228;
constexpr std::size_t kInitrdAddrMax = 0x22C;
constexpr std::size_t kCmdlineSize = 0x238;
constexpr std::size_t kPrefAddress = 0x258;
constexpr std::size_t kInitSize = 0x260;
constexpr std::size_t kHeaderEnd = 0x268;

constexpr std::uint8_t kLoadedHigh = 0x01;  // loadflags bit 0: protected-mode code at 0x100000
constexpr std::uint8_t kCanUseHeap = 0x80;  // loadflags bit 7: heap_end_ptr is valid
// boot.rst, "The real-mode kernel header": type_of_loader 0xFF means "undefined" (no registered
// boot loader id), which is what an emulator that is not one of the listed loaders should use.
constexpr std::uint8_t kLoaderUndefined = 0xFF;
// boot.rst's memory layout: boot sector + setup occupy X..X+0x8000, stack/heap X+0x8000..X+0x10000.
constexpr std::uint32_t kMaxSetupBytes = 0x8000;
// heap_end_ptr: "the offset (from the beginning of the real-mode code) of the end of the setup
// stack/heap, minus 0x0200". The stack ends where the command line begins.
constexpr std::uint16_t kHeapEnd = static_cast<std::uint16_t>(LinuxLoader::kCmdlineBase - LinuxLoader::kRealModeBase - 0x200);

constexpr std::uint8_t kStatusWaiting = 'L';
constexpr std::uint8_t kStatusLoaded = 'D';

std::uint16_t le16(const std::vector<std::uint8_t>& b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}
std::uint32_t le32(const std::vector<std::uint8_t>& b, std::size_t at) {
    return static_cast<std::uint32_t>(le16(b, at)) | (static_cast<std::uint32_t>(le16(b, at + 2)) << 16);
}
void put16(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    b[at] = static_cast<std::uint8_t>(v);
    b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void put32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    put16(b, at, v & 0xFFFF);
    put16(b, at + 2, v >> 16);
}

std::vector<std::uint8_t> read_file(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DiskImageError("cannot open the " + std::string(what) + " " + path);
    std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw DiskImageError("cannot read the " + std::string(what) + " " + path);
    return data;
}

std::string hex(std::uint64_t v) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string s;
    do {
        s.insert(s.begin(), digits[v & 15]);
        v >>= 4;
    } while (v);
    return "0x" + s;
}

}  // namespace

LinuxKernelHeader parse_linux_header(const std::vector<std::uint8_t>& image, const std::string& name) {
    if (image.size() < kHeaderEnd || le16(image, kBootFlag) != 0xAA55 || le32(image, kHeaderMagic) != 0x53726448)
        throw DiskImageError(name + " is not a Linux bzImage (no \"HdrS\" setup header)");
    LinuxKernelHeader h;
    h.version = le16(image, kVersion);
    // Protocol 2.02 brought cmd_line_ptr and LOADED_HIGH loaders need 2.00+; 2.02 is what every
    // kernel since 2.4 offers (boot.rst, "Details of header fields").
    if (h.version < 0x0202)
        throw DiskImageError(name + " uses boot protocol " + std::to_string(h.version >> 8) + "." +
                             std::to_string(h.version & 0xFF) + "; Lantern needs 2.02 or later");
    const unsigned sects = image[kSetupSects] ? image[kSetupSects] : 4;  // 0 means 4 (boot.rst)
    h.setup_bytes = (sects + 1) * 512;
    h.loadflags = image[kLoadflags];
    if (!(h.loadflags & kLoadedHigh))
        throw DiskImageError(name + " is a zImage (loaded low); Lantern boots bzImage kernels only");
    if (h.setup_bytes > kMaxSetupBytes || h.setup_bytes >= image.size())
        throw DiskImageError(name + " has a setup of " + std::to_string(h.setup_bytes) + " bytes, not a valid bzImage");
    // Before 2.03 the field is absent and the limit is 0x37FFFFFF (boot.rst, initrd_addr_max).
    h.initrd_addr_max = h.version >= 0x0203 ? le32(image, kInitrdAddrMax) : 0x37FFFFFF;
    h.cmdline_size = h.version >= 0x0206 ? le32(image, kCmdlineSize) : 255;
    if (h.version >= 0x020A) {
        h.pref_address = le32(image, kPrefAddress);  // low half; a 32-bit machine needs no more
        h.init_size = le32(image, kInitSize);
    }
    return h;
}

LinuxLoader::LinuxLoader(Machine& machine, const LinuxBootConfig& config) : machine_(machine), config_(config) {
    kernel_ = read_file(config.kernel, "kernel");
    header_ = parse_linux_header(kernel_, config.kernel);
    if (!config.initrd.empty()) initrd_ = read_file(config.initrd, "initrd");
    if (config.cmdline.size() > header_.cmdline_size)
        throw DiskImageError("the kernel command line is " + std::to_string(config.cmdline.size()) +
                             " bytes; this kernel takes at most " + std::to_string(header_.cmdline_size));

    // The RAM the BIOS's E820 map reports: all of it, up to the BIOS alias below 4 GiB.
    const std::uint64_t ram_top = std::min<std::uint64_t>(std::uint64_t(machine.config().memory_mib) << 20, 0xFFFE0000u);
    // The kernel needs its image at 0x100000 and, to decompress, init_size bytes from where it
    // runs (pref_address for a relocatable kernel below it, boot.rst "init_size").
    const std::uint64_t pm_bytes = kernel_.size() - header_.setup_bytes;
    const std::uint64_t run_at = std::max<std::uint64_t>(header_.pref_address, kKernelBase);
    const std::uint64_t kernel_end = std::max<std::uint64_t>(kKernelBase + pm_bytes, run_at + header_.init_size);
    const auto mib = [](std::uint64_t b) { return std::to_string((b + (1u << 20) - 1) >> 20); };
    if (kernel_end > ram_top)
        throw DiskImageError("the kernel " + config.kernel + " needs " + mib(kernel_end) + " MiB of RAM; the machine has " +
                             std::to_string(machine.config().memory_mib) + " MiB");
    if (!initrd_.empty()) {
        // As high as allowed, page-aligned (what boot.rst recommends and QEMU does), never over
        // the kernel's own decompression area.
        const std::uint64_t limit = std::min<std::uint64_t>(std::uint64_t(header_.initrd_addr_max) + 1, ram_top);
        const std::uint64_t addr = limit >= initrd_.size() ? ((limit - initrd_.size()) & ~std::uint64_t(0xFFF)) : 0;
        if (addr < kernel_end)
            throw DiskImageError("the kernel and the initrd " + config.initrd + " need " + mib(kernel_end + initrd_.size() + 0xFFF) +
                                 " MiB of RAM below " + hex(limit) + "; the machine has " +
                                 std::to_string(machine.config().memory_mib) + " MiB");
        initrd_addr_ = static_cast<std::uint32_t>(addr);
    }
    stack_pointer_ = static_cast<std::uint16_t>(kHeapEnd + 0x200);  // 0 = 0x10000: the top of the segment
}

void LinuxLoader::map(PortMap& ports) { ports.map(kLinuxLoaderPort, 6, *this, "linux_loader"); }

void LinuxLoader::load() {
    // The setup header is patched in a copy of the real-mode part (boot.rst, "Details of header
    // fields": the fields marked "write" or "modify").
    std::vector<std::uint8_t> setup(kernel_.begin(), kernel_.begin() + header_.setup_bytes);
    setup[kTypeOfLoader] = kLoaderUndefined;
    setup[kLoadflags] = static_cast<std::uint8_t>(setup[kLoadflags] | kCanUseHeap);
    put16(setup, kHeapEndPtr, kHeapEnd);
    put32(setup, kCmdLinePtr, kCmdlineBase);
    put32(setup, kRamdiskImage, initrd_.empty() ? 0 : initrd_addr_);
    put32(setup, kRamdiskSize, static_cast<std::uint32_t>(initrd_.size()));

    machine_.load_ram(kRealModeBase, setup);
    std::vector<std::uint8_t> cmdline(config_.cmdline.begin(), config_.cmdline.end());
    cmdline.push_back(0);
    machine_.load_ram(kCmdlineBase, cmdline);
    machine_.load_ram(kKernelBase, std::span(kernel_).subspan(header_.setup_bytes));
    if (!initrd_.empty()) machine_.load_ram(initrd_addr_, initrd_);
    loaded_ = true;
    ++loads_;
}

void LinuxLoader::write(std::uint32_t offset, std::uint32_t value, unsigned) {
    if (offset == 0 && (value & 0xFF) == 0x01) load();
}

std::uint32_t LinuxLoader::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t v = open_bus_value(size);
    switch (offset) {
        case 0: v = loaded_ ? kStatusLoaded : kStatusWaiting; break;
        case 2: v = kRealModeBase >> 4; break;
        case 4: v = stack_pointer_; break;
        default: return open_bus_value(size);
    }
    return size >= 2 ? v : (v & 0xFF);
}

void LinuxLoader::inspect(StateVisitor& v) {
    StateGroup g(v, "linux_loader");
    v.text("kernel", config_.kernel);
    v.text("initrd", config_.initrd);
    v.text("cmdline", config_.cmdline);
    v.visit("protocol", header_.version, "boot protocol version from the setup header (0x206)");
    v.visit("setup_bytes", header_.setup_bytes, "boot sector + real-mode setup, loaded at 0x10000");
    std::uint32_t pm_bytes = static_cast<std::uint32_t>(kernel_.size() - header_.setup_bytes);
    v.visit("kernel_bytes", pm_bytes, "protected-mode kernel, loaded at 0x100000");
    std::uint32_t initrd_bytes = static_cast<std::uint32_t>(initrd_.size());
    v.visit("initrd_address", initrd_addr_, "where the initrd goes (page-aligned, as high as allowed)");
    v.visit("initrd_bytes", initrd_bytes);
    v.visit("stack_pointer", stack_pointer_, "SP the BIOS gives setup (0 = top of the 64 KiB segment)");
    v.visit("loaded", loaded_, "the BIOS's INT 19h has asked for the copy");
    v.visit("loads", loads_, "copies since the machine was built");
}

}  // namespace lantern
