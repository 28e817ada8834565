// Chunks of kChunk strs are the tasks: enough to share out, few enough to be
// cheap. Each worker reads its strs' storage itself, without the GIL, through
// the one str path (normalize_str), into one set of buffers per chunk (no
// allocation per str); the strs are made afterwards, with the GIL.
#include "batch.hpp"

#include <algorithm>
#include <atomic>
#include <new>
#include <string>
#include <vector>

#include "parallel.hpp"
#include "str_io.hpp"

namespace py = pybind11;

namespace arnorm_py {
namespace {

constexpr std::size_t kChunk = 256;
constexpr Py_ssize_t kChunkDone = -1, kChunkOutOfMemory = -2;

struct Chunk {
  StrBuffers buffers;
  std::vector<StrResult> results;
};

// Normalizes items [first, last) into `c` (its old content dropped). Returns
// kChunkDone, kChunkOutOfMemory, or the index of a surrogate in the item after
// the last one `c` holds. Never throws (it runs as a worker's task).
Py_ssize_t normalize_chunk(const arnorm::Normalizer& n, const std::vector<py::object>& items, std::size_t first,
                           std::size_t last, Chunk& c) noexcept {
  try {
    c.buffers.clear();
    c.results.clear();
    c.results.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) {
      const StrResult r = normalize_str(n, items[i].ptr(), c.buffers);
      if (r.form == StrResult::surrogate) return r.surrogate_at;
      if (r.form == StrResult::out_of_memory) return kChunkOutOfMemory;
      c.results.push_back(r);
    }
    return kChunkDone;
  } catch (const std::bad_alloc&) {
    return kChunkOutOfMemory;
  }
}

// Puts a normalized chunk's strs into result[first...] (GIL held).
void collect_chunk(const std::vector<py::object>& items, std::size_t first, const Chunk& c, py::list& result) {
  for (std::size_t k = 0; k < c.results.size(); ++k) {
    PyObject* r = make_str(items[first + k].ptr(), c.results[k], c.buffers, "normalize_batch");
    if (!r) throw py::error_already_set();
    PyList_SET_ITEM(result.ptr(), static_cast<Py_ssize_t>(first + k), r);
  }
}

[[noreturn]] void throw_surrogate(std::size_t item, Py_ssize_t index) {
  throw py::value_error(surrogate_message(("normalize_batch: item " + std::to_string(item)).c_str(), index));
}

}  // namespace

py::list normalize_batch(const arnorm::Normalizer& n, py::handle texts, py::handle workers_arg) {
  const int workers = workers_of(workers_arg, "normalize_batch");
  if (PyUnicode_Check(texts.ptr())) type_error("normalize_batch", texts, "an iterable of str (a list, not one str)");
  std::vector<py::object> items;
  py::iterator it;
  try {
    it = py::iter(texts);
  } catch (const py::error_already_set&) {
    type_error("normalize_batch", texts, "an iterable of str");
  }
  for (; it != py::iterator::sentinel(); ++it) {
    py::handle item = *it;
    if (!PyUnicode_Check(item.ptr())) {
      throw py::type_error("normalize_batch: item " + std::to_string(items.size()) + " is " +
                           Py_TYPE(item.ptr())->tp_name + ", expected str");
    }
    if (!StrUtf8::ready(item.ptr())) throw py::error_already_set();
    items.push_back(py::reinterpret_borrow<py::object>(item));
  }
  const std::size_t count = items.size(), tasks = (count + kChunk - 1) / kChunk;
  py::list result(count);
  if (thread_count(workers, tasks, "normalize_batch") == 1) {
    // One thread: a chunk at a time, so its output is still in cache when its strs are made.
    Chunk c;
    for (std::size_t first = 0; first < count; first += kChunk) {
      Py_ssize_t bad;
      {
        ReleaseGil release;
        bad = normalize_chunk(n, items, first, std::min(count, first + kChunk), c);
      }
      if (bad == kChunkOutOfMemory) throw std::bad_alloc();
      if (bad >= 0) throw_surrogate(first + c.results.size(), bad);
      collect_chunk(items, first, c, result);
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
    return result;
  }
  std::vector<Chunk> chunks(tasks);
  std::atomic<std::size_t> bad_item{count};  // the first item with a surrogate
  std::vector<Py_ssize_t> bad_index(tasks, kChunkDone);
  run_tasks(tasks, workers, "normalize_batch", [&](std::size_t task) {
    const std::size_t first = task * kChunk;
    bad_index[task] = normalize_chunk(n, items, first, std::min(count, first + kChunk), chunks[task]);
    if (bad_index[task] < 0) return;
    const std::size_t i = first + chunks[task].results.size();
    for (std::size_t seen = bad_item; i < seen && !bad_item.compare_exchange_weak(seen, i);) {
    }
  });
  if (bad_item < count) throw_surrogate(bad_item, bad_index[bad_item / kChunk]);
  for (Py_ssize_t bad : bad_index)
    if (bad == kChunkOutOfMemory) throw std::bad_alloc();
  for (std::size_t task = 0; task < tasks; ++task) collect_chunk(items, task * kChunk, chunks[task], result);
  return result;
}

}  // namespace arnorm_py
