// Columns through the Arrow C data interface (the ABI of
// https://arrow.apache.org/docs/format/CDataInterface.html), so that pyarrow,
// pandas and Spark hand arnorm whole string columns without any Arrow library
// in this build and without a Python str per row.
#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace arnorm_py {

// What one row's transform did. `position` is the byte offset of the first bad
// byte when the outcome is invalid_utf8.
struct RowResult {
  enum Outcome { ok, null, invalid_utf8 } outcome = ok;
  std::size_t position = 0;
};

// Appends one row's result to `out` (and sets *score when the column has
// scores). May throw only std::bad_alloc; runs on several threads at once.
using RowFunction = RowResult (*)(const void* context, std::string_view in, std::string& out, double* score);

enum class OutputText { same_as_input, utf8 };

// Applies `fn` to every valid row of each chunk in `chunks` (a list of
// (schema, array) capsule pairs from __arrow_c_array__), on `workers` threads
// without the GIL. Null rows stay null. Returns a list of ArrowColumn objects
// (one per chunk), or, with scores, a list of (text, score) ArrowColumn pairs.
// Non-string chunks raise TypeError; the first invalid row (in row order)
// raises UnicodeDecodeError naming the row.
pybind11::list map_string_chunks(pybind11::handle chunks, int workers, const char* where, RowFunction fn,
                                 const void* context, OutputText text, bool with_scores);

void register_arrow(pybind11::module_& m);

}  // namespace arnorm_py
