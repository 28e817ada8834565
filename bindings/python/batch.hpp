// normalize_batch: many strs on worker threads without the GIL.
#pragma once

#include <pybind11/pybind11.h>

#include <arnorm/arnorm.hpp>

namespace arnorm_py {

// A list of the strs of `texts` (an iterable of str), normalized on `workers` threads.
pybind11::list normalize_batch(const arnorm::Normalizer& n, pybind11::handle texts, pybind11::handle workers);

}  // namespace arnorm_py
