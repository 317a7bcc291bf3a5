// The panes of the desktop app, one file each. The screen pane has its own header (the app routes
// input events to it); the others are made here.
#pragma once

#include <memory>
#include <string>

#include "gui/app/ui_common.h"

namespace lantern::gui {

std::unique_ptr<Pane> make_cpu_pane();
std::unique_ptr<Pane> make_disasm_pane();
std::unique_ptr<Pane> make_memory_pane();
std::unique_ptr<Pane> make_stack_pane();
std::unique_ptr<Pane> make_log_pane();
std::unique_ptr<Pane> make_tables_pane();
std::unique_ptr<Pane> make_paging_pane();
std::unique_ptr<Pane> make_console_pane();
std::unique_ptr<Pane> make_settings_pane();
// One pane per device: `device` is the name of its group in Machine::inspect() ("pic", "pit").
std::unique_ptr<Pane> make_device_pane(const std::string& device, int index);

// A readable title for a device group ("pic" -> "PIC (8259A x2)").
std::string device_title(const std::string& device);

}  // namespace lantern::gui
