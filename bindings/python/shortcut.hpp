// The per-call hot path: normalize(a str) through a Normalizer without
// pybind11's dispatch or a Python frame, which cost more than the
// normalization of a short line.
#pragma once

#include <pybind11/pybind11.h>

namespace arnorm_py {

// The name of the capsules that carry a const arnorm::Normalizer*.
constexpr const char* kCapsuleName = "arnorm.Normalizer";

// StrShortcut(general, capsule) and StrShortcutMethod(general): see shortcut.cpp.
extern PyTypeObject g_shortcut_type;
extern PyTypeObject g_shortcut_method_type;
// Readies both types; false with a Python error set.
bool ready_shortcut_types();

}  // namespace arnorm_py
