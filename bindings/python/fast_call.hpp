// The per-call hot path: normalize(a str) through a Normalizer without
// pybind11's dispatch or a Python frame, which cost more than the
// normalization of a short line.
#pragma once

#include <pybind11/pybind11.h>

namespace arnorm_py {

// The name of the capsules that carry a const arnorm::Normalizer*.
constexpr const char* kCapsuleName = "arnorm.Normalizer";

// StrFastFunction(general, capsule) and StrFastMethod(general): see fast_call.cpp.
extern PyTypeObject g_fast_function_type;
extern PyTypeObject g_fast_method_type;
// Readies both types; false with a Python error set.
bool ready_fast_path_types();

}  // namespace arnorm_py
