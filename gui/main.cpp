// lantern: the emulator's executable. For now only the command line; the SDL2/ImGui front end
// arrives later and will live beside this file.
#include <cstdio>
#include <exception>
#include <iostream>

#include "cpu/kvm/kvm_probe.h"
#include "devices/storage/block_device.h"
#include "gui/cli.h"
#include "gui/exit_status.h"
#include "gui/run_command.h"

int main(int argc, char** argv) {
    try {
        const lantern::Command cmd = lantern::parse_command_line(argc, argv, std::cout, std::cerr);
        switch (cmd.kind) {
            case lantern::Command::Kind::Run: return lantern::execute_run(cmd.run, std::cerr);
            case lantern::Command::Kind::Conformance:
                return lantern::execute_conformance(cmd.conformance, std::cout, std::cerr);
            case lantern::Command::Kind::Cpuinfo: return lantern::execute_cpuinfo(cmd.cpuinfo, std::cout);
            case lantern::Command::Kind::Bench: return lantern::execute_bench(cmd.bench, std::cout, std::cerr);
            case lantern::Command::Kind::KvmProbe: {
                const lantern::kvm::KvmProbe probe = lantern::kvm::probe_kvm(cmd.kvm_device);
                std::cout << lantern::kvm::describe(probe);
                return probe.serves_all() ? 0 : 1;
            }
            case lantern::Command::Kind::Exit: return cmd.exit_status;
        }
    } catch (const lantern::DiskImageError& e) {
        // A disk image the user gave cannot be used (wrong size, unreadable): their error.
        std::fflush(stdout);
        std::cerr << "lantern: " << e.what() << "\n";
        return lantern::to_int(lantern::ExitStatus::Usage);
    } catch (const std::exception& e) {
        std::fflush(stdout);
        std::cerr << "lantern: internal error: " << e.what() << "\n";
    }
    return lantern::to_int(lantern::ExitStatus::InternalError);
}
