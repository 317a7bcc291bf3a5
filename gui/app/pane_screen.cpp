#include "gui/app/pane_screen.h"

#include <algorithm>

#include "devices/input/input_queue.h"
#include "devices/vga/png_writer.h"
#include "gui/app/key_map.h"
#include "gui/app/machine_parts.h"

namespace lantern::gui {

ScreenPane::~ScreenPane() {
    if (texture_) SDL_DestroyTexture(texture_);
}

void ScreenPane::gather(MachineInspector& machine, Session& session, const FrameData& frame) {
    has_display_ = machine.has_display() && frame.state != RunState::PoweredOff;
    has_input_ = find_input_queue(*session.machine) != nullptr;
    if (has_display_) {
        frame_ = machine.render_screen();
        text_ = machine.screen_text();
        mode_ = text_.empty() ? "graphics " : "text ";
        mode_ += std::to_string(frame_.width) + "x" + std::to_string(frame_.height);
    } else {
        frame_ = Frame{};
        text_ = frame.state == RunState::PoweredOff ? std::string{} : session.debugcon.text();
        mode_.clear();
    }
    frame_dirty_ = true;
}

void ScreenPane::upload(SDL_Renderer* renderer) {
    if (!frame_dirty_ || !renderer) return;
    frame_dirty_ = false;
    if (frame_.width == 0 || frame_.height == 0) return;
    if (!texture_ || texture_w_ != static_cast<int>(frame_.width) || texture_h_ != static_cast<int>(frame_.height)) {
        if (texture_) SDL_DestroyTexture(texture_);
        texture_w_ = static_cast<int>(frame_.width);
        texture_h_ = static_cast<int>(frame_.height);
        // RGB888 is 0x00RRGGBB per pixel, the Frame's layout; the top byte is ignored.
        texture_ = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING, texture_w_,
                                     texture_h_);
        if (texture_) SDL_SetTextureScaleMode(texture_, SDL_ScaleModeNearest);
    }
    if (texture_) SDL_UpdateTexture(texture_, nullptr, frame_.pixels.data(), texture_w_ * 4);
}

void ScreenPane::draw(UiContext& ui) {
    upload(ui.renderer);
    SDL_Window* window = SDL_GetMouseFocus() ? SDL_GetMouseFocus() : SDL_GetKeyboardFocus();

    if (captured_) {
        ImGui::TextColored(changed_colour(), has_input_ ? "Keyboard and mouse go to the guest. Press Right Ctrl to release."
                                                        : "Captured, but this board has no keyboard or mouse yet. Right Ctrl releases.");
    } else if (has_display_) {
        ImGui::TextColored(dim_colour(), "%s. Click the screen to capture keyboard and mouse (Right Ctrl releases).",
                           mode_.c_str());
    }
    if (ImGui::SmallButton("Screenshot")) {
        note_ = save_screenshot("lantern-screen-" + std::to_string(++shots_) + ".png");
    }
    if (!note_.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(dim_colour(), "%s", note_.c_str());
    }

    if (!has_display_) {
        // No display adapter on this board (or the power is off): the guest's debug console
        // stands in, drawn like a text screen.
        if (ui.frame.state == RunState::PoweredOff) {
            ImGui::TextColored(dim_colour(), "The machine is powered off.");
        } else {
            ImGui::TextColored(dim_colour(), "This board has no display adapter: showing the debug console (port E9).");
        }
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0, 0, 0, 1));
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.75f, 0.75f, 1));
        ImGui::BeginChild("console_screen", ImVec2(0, 0), true);
        ImGui::TextUnformatted(text_.c_str(), text_.c_str() + text_.size());
        if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 4) ImGui::SetScrollHereY(1.0f);
        ImGui::EndChild();
        ImGui::PopStyleColor(2);
        ui.probe.set("screen.mode", "none");
        return;
    }
    ui.probe.set("screen.mode", mode_);
    ui.probe.set("screen.text", text_);

    const ImVec2 avail = ImGui::GetContentRegionAvail();
    unsigned scale = ui.settings.screen_scale;
    if (scale == 0 && frame_.width > 0 && frame_.height > 0) {
        const float fit = std::min(avail.x / static_cast<float>(frame_.width), avail.y / static_cast<float>(frame_.height));
        scale = static_cast<unsigned>(std::max(1.0f, fit));
    }
    scale = std::max(1u, scale);
    if (texture_) {
        const ImVec2 size(static_cast<float>(frame_.width * scale), static_cast<float>(frame_.height * scale));
        ImGui::Image(reinterpret_cast<ImTextureID>(texture_), size);
        if (ImGui::IsItemClicked(ImGuiMouseButton_Left) && !captured_ && window) capture(window);
    }
}

std::string ScreenPane::save_screenshot(const std::string& path) const {
    if (frame_.width == 0) return "no picture to save";
    return write_png(frame_, path) ? "saved " + path : "could not write " + path;
}

void ScreenPane::capture(SDL_Window* window) {
    captured_ = true;
    mouse_buttons_ = 0;
    SDL_SetWindowGrab(window, SDL_TRUE);
    SDL_SetRelativeMouseMode(SDL_TRUE);
}

void ScreenPane::release(SDL_Window* window) {
    if (!captured_) return;
    captured_ = false;
    if (window) SDL_SetWindowGrab(window, SDL_FALSE);
    SDL_SetRelativeMouseMode(SDL_FALSE);
}

namespace {
void post_input(EmulatorHost& host, InputPayload payload) {
    host.post([payload](Session& s) {
        if (InputQueue* q = find_input_queue(*s.machine)) q->post_now(payload);
    });
}
}  // namespace

bool ScreenPane::handle_event(const SDL_Event& e, EmulatorHost& host) {
    if (!captured_) return false;
    switch (e.type) {
        case SDL_KEYDOWN:
        case SDL_KEYUP: {
            if (e.key.keysym.scancode == kReleaseKey) {
                if (e.type == SDL_KEYDOWN) release(SDL_GetWindowFromID(e.key.windowID));
                return true;
            }
            if (e.key.repeat) return true;  // the guest's keyboard makes its own typematic repeats
            if (const auto key = key_from_scancode(e.key.keysym.scancode))
                post_input(host, KeyInput{*key, e.type == SDL_KEYDOWN});
            return true;
        }
        case SDL_TEXTINPUT: return true;
        case SDL_MOUSEMOTION:
            // One host pixel of motion is one mouse count.
            post_input(host, MouseMoveInput{e.motion.xrel, e.motion.yrel});
            return true;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP: {
            std::uint8_t bit = 0;
            if (e.button.button == SDL_BUTTON_LEFT) bit = 1;
            else if (e.button.button == SDL_BUTTON_RIGHT) bit = 2;
            else if (e.button.button == SDL_BUTTON_MIDDLE) bit = 4;
            if (e.type == SDL_MOUSEBUTTONDOWN) mouse_buttons_ |= bit;
            else mouse_buttons_ &= static_cast<std::uint8_t>(~bit);
            post_input(host, MouseButtonsInput{mouse_buttons_});
            return true;
        }
        case SDL_MOUSEWHEEL:
            post_input(host, MouseWheelInput{-e.wheel.y});  // SDL: positive = away from the user
            return true;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST) release(SDL_GetWindowFromID(e.window.windowID));
            return false;
        default: return false;
    }
}

}  // namespace lantern::gui
