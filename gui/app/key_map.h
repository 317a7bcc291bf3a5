// Host keys to the guest's keyboard: SDL scancodes (positions, like Key) to lantern::Key.
#pragma once

#include <optional>

#include <SDL.h>

#include "devices/input/keys.h"

namespace lantern::gui {

std::optional<Key> key_from_scancode(SDL_Scancode sc);

}  // namespace lantern::gui
