// A Machine running dbg_target.bin (tests/debugger/dbg_target.asm) with a Debugger attached and
// the guest's symbols loaded from its ELF32 object, for the debugger's tests.
#pragma once

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "debugger/debugger.h"
#include "devices/machine.h"

namespace lantern::test {

inline std::vector<std::uint8_t> read_binary(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline MachineConfig target_config(CpuModel model) {
    MachineConfig c;
    c.cpu_model = model;
    c.memory_mib = default_memory_mib(model);
    c.cpu_freq_hz = default_cpu_freq_hz(model);
    c.bios_image = read_binary(LANTERN_DBG_TARGET_BIN);
    return c;
}

struct DebugRig {
    explicit DebugRig(CpuModel model = CpuModel::I8086)
        : machine(std::make_unique<Machine>(target_config(model))), dbg(std::make_unique<Debugger>(*machine)) {
        const auto r = dbg->symbols().load_file(LANTERN_DBG_TARGET_ELF, 0xF0000);
        REQUIRE_MESSAGE(r.error.empty(), r.error);
    }
    std::uint32_t sym(const char* name) const {
        const auto a = dbg->symbols().find(name);
        REQUIRE_MESSAGE(a.has_value(), "no symbol " << name);
        return *a;
    }
    int add(Breakpoint b) { return dbg->breakpoints().add(std::move(b)); }
    int exec(const char* name) {
        Breakpoint b;
        b.address = sym(name);
        return add(b);
    }
    // Continues until the guest exits, recording where each stop left the CPU (its linear pc).
    std::vector<std::uint32_t> stops_until_exit(std::vector<StopKind>* kinds = nullptr) {
        std::vector<std::uint32_t> pcs;
        for (int guard = 0; guard < 1000; ++guard) {
            const StopInfo s = dbg->continue_run();
            if (s.kind == StopKind::GuestExit) return pcs;
            REQUIRE_MESSAGE(s.kind != StopKind::Halted, s.reason);
            REQUIRE_MESSAGE(s.kind != StopKind::Shutdown, s.reason);
            pcs.push_back(dbg->linear_pc());
            if (kinds) kinds->push_back(s.kind);
        }
        FAIL("the guest did not exit");
        return pcs;
    }

    std::unique_ptr<Machine> machine;
    std::unique_ptr<Debugger> dbg;
};

}  // namespace lantern::test
