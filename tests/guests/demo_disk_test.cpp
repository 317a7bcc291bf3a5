// The built-in demo disk (assets/demo_disk/) booted by the Lantern BIOS from an in-memory floppy:
// the menu, each program as a student would run it (keys typed on the PS/2 keyboard), and the
// power-off item ending the run through isa-debug-exit with value 0. On the P6 and on the 80386
// (the demo must not need anything newer than a 386).
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include "assets/demo_disk/embedded_demo_disk.h"
#include "tests/guests/guest_rig.h"

using namespace lantern;
using namespace lantern::test;

namespace {

// Generous budgets: each step takes a few million instructions at most (see the MESSAGEs).
constexpr std::uint64_t kBootBudget = 300'000'000;
constexpr std::uint64_t kStepBudget = 100'000'000;
constexpr std::uint64_t kMandelbrotBudget = 400'000'000;

GuestOptions demo_options(CpuModel cpu) {
    GuestOptions o;
    o.cpu = cpu;
    const auto disk = assets::demo_disk();
    o.board.floppy_a_bytes.assign(disk.begin(), disk.end());
    return o;
}

bool contains(const std::string& s, std::string_view what) { return s.find(what) != std::string::npos; }

// The number after `label` on the screen (decimal), if there is one.
std::optional<std::uint64_t> number_after(const std::string& screen, std::string_view label) {
    std::size_t at = screen.find(label);
    if (at == std::string::npos) return std::nullopt;
    at += label.size();
    std::uint64_t n = 0;
    bool any = false;
    while (at < screen.size() && std::isdigit(static_cast<unsigned char>(screen[at]))) {
        n = n * 10 + static_cast<std::uint64_t>(screen[at++] - '0');
        any = true;
    }
    return any ? std::optional<std::uint64_t>(n) : std::nullopt;
}

// The line of the screen that contains `what` (empty if none).
std::string line_with(const std::string& screen, std::string_view what) {
    const std::size_t at = screen.find(what);
    if (at == std::string::npos) return {};
    const std::size_t begin = screen.rfind('\n', at);
    const std::size_t end = screen.find('\n', at);
    return screen.substr(begin == std::string::npos ? 0 : begin + 1,
                         (end == std::string::npos ? screen.size() : end) - (begin == std::string::npos ? 0 : begin + 1));
}

// Presses one key that has no ASCII character (arrows), after any typing still queued.
void press(GuestRig& rig, Key key) {
    const Cycles ms = rig.machine().config().cpu_freq_hz / 1000;
    post_keystroke(rig.board().input(), KeyStroke{key}, rig.cycles() + ms, 20 * ms);
}

std::uint32_t ram32(GuestRig& rig, std::uint32_t addr) {
    const auto ram = rig.machine().ram();
    return std::uint32_t(ram[addr]) | std::uint32_t(ram[addr + 1]) << 8 | std::uint32_t(ram[addr + 2]) << 16 |
           std::uint32_t(ram[addr + 3]) << 24;
}

void boot_to_menu(GuestRig& rig) {
    const bool menu = rig.run_until_screen("Press 1-6", kBootBudget);
    if (!menu) MESSAGE(rig.screen());
    REQUIRE(menu);
    const std::string screen = rig.screen();
    CHECK(contains(screen, "Lantern demo disk"));
    CHECK(contains(screen, "1  Text through the BIOS"));
    CHECK(contains(screen, "6  Power off"));
    MESSAGE("menu after " << rig.instructions() << " instructions, " << rig.virtual_seconds() << " s virtual");
}

// Esc from a program: the menu is drawn again.
void back_to_menu(GuestRig& rig) {
    rig.type_text("\x1b");
    const bool menu = rig.run_until_screen("Press 1-6", kStepBudget);
    if (!menu) MESSAGE(rig.screen());
    CHECK(menu);
}

void run_text_program(GuestRig& rig) {
    rig.type_text("1");
    const bool shown = rig.run_until_screen("it blinks here", kStepBudget);
    const std::string screen = rig.screen();
    if (!shown) MESSAGE(screen);
    REQUIRE(shown);
    CHECK(contains(screen, "╔"));  // the banner's box, code page 437 C9h
    CHECK(contains(screen, "INT 10h: characters, colours and the cursor"));
    CHECK(contains(screen, "moving the"));  // the teletype paragraph
    CHECK(contains(screen, "cursor was at row 20, column 38"));
    back_to_menu(rig);
}

void run_protected_mode_program(GuestRig& rig) {
    rig.type_text("2");
    const bool back = rig.run_until_screen("Interrupts are on again", kStepBudget);
    const std::string screen = rig.screen();
    if (!back) MESSAGE(screen);
    REQUIRE(back);
    CHECK(contains(screen, "Hello from 32-bit protected mode"));
    // The lines the 32-bit code wrote straight into B8000h: CR0 with PE set, then the selectors.
    CHECK(contains(screen, "CS = 0008h  DS = 0010h  SS = 0010h"));
    // The 32-bit code's CR0 line (row 8, from column 0) has PE set; the BIOS's lines before and
    // after it have PE clear.
    CHECK(line_with(screen, "PE=1").starts_with("CR0 = "));
    CHECK(contains(line_with(screen, "Real mode, through the BIOS"), "PE=0"));
    CHECK(contains(line_with(screen, "Back in real mode"), "PE=0"));
    CHECK(contains(screen, "limit = 0027h"));  // 5 descriptors x 8 bytes - 1
    back_to_menu(rig);
}

void run_timer_program(GuestRig& rig) {
    const std::uint32_t vector08 = ram32(rig, 0x08 * 4);
    rig.type_text("3");
    REQUIRE(rig.run_until([&] { return number_after(rig.screen(), "Ticks: ").value_or(0) >= 5; }, kStepBudget));
    const std::uint64_t ticks = *number_after(rig.screen(), "Ticks: ");
    const std::uint64_t bios = number_after(rig.screen(), "BIOS ticks (0040:006C): ").value_or(0);
    const double t0 = rig.virtual_seconds();
    // At least a second of virtual time: 100 of our ticks a second, 18.2 of the BIOS's. (The
    // program sleeps in HLT between ticks, so a slice of instructions spans seconds.)
    const bool advanced = rig.run_until([&] { return rig.virtual_seconds() >= t0 + 1.0; }, kStepBudget);
    const double seconds = rig.virtual_seconds() - t0;
    const std::string screen = rig.screen();
    if (!advanced) MESSAGE(screen);
    REQUIRE(advanced);
    const std::uint64_t ticks2 = number_after(screen, "Ticks: ").value_or(0);
    const std::uint64_t bios2 = number_after(screen, "BIOS ticks (0040:006C): ").value_or(0);
    MESSAGE("timer: " << ticks << " -> " << ticks2 << " ticks, BIOS " << bios << " -> " << bios2 << " in "
                      << seconds << " s virtual");
    // The screen shows the count as of the last tick; the seconds are measured at the slice's end.
    const double ours = static_cast<double>(ticks2 - ticks), theirs = static_cast<double>(bios2 - bios);
    CHECK(ours >= 99.998 * seconds - 3);
    CHECK(ours <= 99.998 * seconds + 3);
    CHECK(theirs >= 18.2065 * seconds - 2);
    CHECK(theirs <= 18.2065 * seconds + 2);
    // The spinner is one of | / - \ at row 12, column 60.
    const std::string row = line_with(screen, "Ticks: ");
    REQUIRE(row.size() > 60);
    CHECK(std::string("|/-\\").find(row[60]) != std::string::npos);
    back_to_menu(rig);
    CHECK(ram32(rig, 0x08 * 4) == vector08);  // the BIOS's INT 08h is back
}

std::size_t colours_in(const Frame& frame) {
    std::unordered_set<std::uint32_t> seen(frame.pixels.begin(), frame.pixels.end());
    return seen.size();
}

void run_graphics_program(GuestRig& rig) {
    rig.type_text("4");
    // The colour bar (all 256 palette entries; 253 different colours, as the gradient repeats its
    // three corner colours) is drawn after the Mandelbrot picture.
    const std::uint64_t before = rig.instructions();
    const bool drawn = rig.run_until([&] { return colours_in(render(rig.board().vga())) >= 250; }, kMandelbrotBudget);
    if (!drawn)
        MESSAGE("after " << rig.instructions() - before << " instructions: " << colours_in(render(rig.board().vga()))
                         << " colours, mode " << int(rig.machine().ram()[0x449]) << ", screen:\n" << rig.screen());
    REQUIRE(drawn);
    CHECK(rig.machine().ram()[0x449] == 0x13);  // the BIOS's current mode (BDA 0040:0049)
    CHECK(text_geometry(rig.board().vga()).columns == 0);  // a graphics mode: no text cells
    const Frame frame = render(rig.board().vga());
    CHECK(frame.width == 640);  // 320x200, each pixel doubled (VGA mode 13h on the monitor)
    CHECK(frame.height == 400);
    CHECK(frame.at(0, 0) != 0);          // top-left (-2.5, -1.2) escapes at once: not black
    CHECK(frame.at(2 * 250, 2 * 88) == 0);  // (-2.5 + 250 * 3.5 / 320, 0) = (-0.27, 0): inside, black
    MESSAGE("mode 13h: " << colours_in(frame) << " colours after " << rig.instructions() << " instructions");
    rig.type_text("\x1b");
    const bool menu = rig.run_until_screen("Press 1-6", kStepBudget);
    CHECK(menu);
    CHECK(rig.machine().ram()[0x449] == 0x03);
}

void run_keyboard_program(GuestRig& rig) {
    rig.type_text("5");
    REQUIRE(rig.run_until_screen("scan code  ASCII code", kStepBudget));
    rig.type_text("a");
    const bool echoed = rig.run_until_screen("Scan 1Eh", kStepBudget);
    if (!echoed) MESSAGE(rig.screen());
    REQUIRE(echoed);
    CHECK(contains(line_with(rig.screen(), "Scan 1Eh"), "ASCII 61h     'a'"));
    rig.type_text("A");  // Shift+A: the same key, another character, Shift in the flags
    REQUIRE(rig.run_until_screen("ASCII 41h", kStepBudget));
    CHECK(contains(line_with(rig.screen(), "ASCII 41h"), "Scan 1Eh"));
    const std::string shifted = line_with(rig.screen(), "ASCII 41h");
    INFO(shifted);
    // Bit 1: left Shift, still held when the key was read (bit 5, Num Lock, is the BIOS's choice).
    const std::size_t flags_at = shifted.find("flags ");
    REQUIRE(flags_at != std::string::npos);
    const unsigned flags = static_cast<unsigned>(std::stoul(shifted.substr(flags_at + 6, 2), nullptr, 16));
    CHECK((flags & 0x02) != 0);
    press(rig, Key::Up);  // a grey arrow: no ASCII; INT 16h AH=10h marks it with E0h
    REQUIRE(rig.run_until_screen("Scan 48h", kStepBudget));
    CHECK(contains(line_with(rig.screen(), "Scan 48h"), "ASCII E0h"));
    back_to_menu(rig);
}

void power_off(GuestRig& rig) {
    const bool stopped = rig.run_until([] { return false; }, kStepBudget);
    CHECK_FALSE(stopped);
    CHECK(rig.last_result().reason == MachineStop::DebugExit);
    CHECK(rig.last_result().debug_exit_value == 0);
    CHECK(contains(rig.screen(), "Power off: writing 0 to port F4h"));
}

// Where the menu keeps the highlighted item's number (from the symbol map).
std::uint32_t menu_selected_address() {
    const std::string symbols(reinterpret_cast<const char*>(assets::demo_disk_symbols().data()),
                              assets::demo_disk_symbols().size());
    const std::size_t at = symbols.find("\nmenu_selected ");
    REQUIRE(at != std::string::npos);
    return static_cast<std::uint32_t>(std::stoul(symbols.substr(at + 16, 5), nullptr, 16));
}

}  // namespace

TEST_SUITE("demo_disk") {
    TEST_CASE("The demo disk image: a 1.44 MB boot floppy with its symbol map") {
        const auto disk = assets::demo_disk();
        REQUIRE(disk.size() == 1'474'560);
        CHECK(disk[510] == 0x55);
        CHECK(disk[511] == 0xAA);
        const std::string symbols(reinterpret_cast<const char*>(assets::demo_disk_symbols().data()),
                                  assets::demo_disk_symbols().size());
        CHECK(contains(symbols, "boot_start 07C00"));
        CHECK(contains(symbols, "menu_entry 08000"));
        CHECK(contains(symbols, "timer_isr "));
        CHECK(contains(symbols, "pm_entry32 "));
    }

    TEST_CASE("PcBoardConfig::floppy_a_bytes: a writable in-memory drive A") {
        // A boot sector that writes itself to sector 2 with INT 13h AH=03h, reads sector 2 back to
        // 0000:8000 with AH=02h and reports the last status (AH) through port F4h:
        //   xor ax,ax / mov es,ax / mov ax,0301h / mov cx,0002h / xor dh,dh / mov bx,7C00h / int 13h
        //   jc fail / mov ax,0201h / mov bx,8000h / int 13h / fail: mov al,ah / out 0F4h,al / hlt
        constexpr std::uint8_t kBoot[] = {0x31, 0xc0, 0x8e, 0xc0, 0xb8, 0x01, 0x03, 0xb9, 0x02, 0x00, 0x30, 0xf6,
                                          0xbb, 0x00, 0x7c, 0xcd, 0x13, 0x72, 0x08, 0xb8, 0x01, 0x02, 0xbb, 0x00,
                                          0x80, 0xcd, 0x13, 0x88, 0xe0, 0xe6, 0xf4, 0xf4, 0xeb, 0xfd};
        GuestOptions o;
        o.board.floppy_a_bytes.assign(1'474'560, 0);
        std::copy(std::begin(kBoot), std::end(kBoot), o.board.floppy_a_bytes.begin());
        o.board.floppy_a_bytes[510] = 0x55;
        o.board.floppy_a_bytes[511] = 0xAA;
        GuestRig rig(std::move(o));
        rig.run_until([] { return false; }, kBootBudget);
        REQUIRE(rig.last_result().reason == MachineStop::DebugExit);
        CHECK(rig.last_result().debug_exit_value == 0);  // INT 13h status 00h: both calls succeeded
        const auto ram = rig.machine().ram();
        CHECK(std::equal(std::begin(kBoot), std::end(kBoot), ram.begin() + 0x8000));  // written, read back
        CHECK(ram[0x8000 + 510] == 0x55);
    }

    TEST_CASE("Every program of the demo disk on the P6, then power off") {
        GuestRig rig(demo_options(CpuModel::P6));
        boot_to_menu(rig);
        CHECK(contains(rig.screen(), "CPU: GenuineIntel, family 6 (from CPUID)"));
        run_text_program(rig);
        run_protected_mode_program(rig);
        run_timer_program(rig);
        run_graphics_program(rig);
        run_keyboard_program(rig);
        // The keyboard program (item 5) is highlighted now: Down, Enter chooses "6  Power off".
        press(rig, Key::Down);
        rig.run_until([] { return false; }, 5'000'000);  // the key is pressed and released in ~21 ms
        CHECK(rig.machine().ram()[menu_selected_address()] == 5);
        rig.type_text("\n");
        power_off(rig);
        MESSAGE("P6 run: " << rig.instructions() << " instructions, " << rig.virtual_seconds() << " s virtual, "
                           << rig.host_seconds() << " s host");
    }

    TEST_CASE("The demo disk on the 80386: menu, protected mode, timer, power off") {
        GuestRig rig(demo_options(CpuModel::I80386));
        boot_to_menu(rig);
        CHECK(contains(rig.screen(), "CPU: 80386"));
        run_protected_mode_program(rig);
        run_timer_program(rig);
        rig.type_text("6");
        power_off(rig);
        MESSAGE("386 run: " << rig.instructions() << " instructions, " << rig.virtual_seconds() << " s virtual, "
                            << rig.host_seconds() << " s host");
    }
}
