// The screen pane: the guest's display at an integer scale, and keyboard and mouse capture.
//
// Clicking the picture captures the keyboard and mouse: host keys then go to the guest's PS/2
// keyboard and mouse motion to its PS/2 mouse, all through the machine's InputQueue (stamped with
// the cycle they arrive at). Right Ctrl releases the capture and is never sent to the guest.
#pragma once

#include <string>

#include <SDL.h>

#include "devices/vga/vga_render.h"
#include "gui/app/ui_common.h"

namespace lantern::gui {

class ScreenPane final : public Pane {
public:
    static constexpr SDL_Scancode kReleaseKey = SDL_SCANCODE_RCTRL;

    ScreenPane() : Pane("screen", "Screen") {}
    ~ScreenPane() override;

    void gather(MachineInspector& machine, Session& session, const FrameData& frame) override;
    void draw(UiContext& ui) override;
    ImVec2 default_pos() const override { return {4, 44}; }
    ImVec2 default_size() const override { return {752, 470}; }
    ImGuiWindowFlags window_flags() const override { return ImGuiWindowFlags_NoScrollbar; }

    // Host events while captured: returns true when the event went to the guest.
    bool handle_event(const SDL_Event& event, EmulatorHost& host);
    bool captured() const { return captured_; }
    void release(SDL_Window* window);
    // Saves the guest's picture; returns the message to show.
    std::string save_screenshot(const std::string& path) const;

private:
    void capture(SDL_Window* window);
    void upload(SDL_Renderer* renderer);

    Frame frame_{};
    bool frame_dirty_ = false;
    bool has_display_ = false;
    bool has_input_ = false;
    std::string text_{};           // the text screen (probe), or the debug console without a display
    std::string mode_{};           // "text 80x25", "graphics 640x480"
    SDL_Texture* texture_ = nullptr;
    int texture_w_ = 0, texture_h_ = 0;
    bool captured_ = false;
    std::uint8_t mouse_buttons_ = 0;
    std::string note_{};
    unsigned shots_ = 0;
};

}  // namespace lantern::gui
