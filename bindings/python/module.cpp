// The private extension module behind the `arnorm` Python package. Strings
// are read from their own storage (PEP 393) and built back from UTF-8, the
// GIL is released around work on texts over 4 KiB and batches, and unchanged
// text returns the very same str object.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <arnorm/arnorm.hpp>
#include <arnorm/variants.hpp>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "arrow.hpp"
#include "parallel.hpp"
#include "transcode.hpp"

namespace py = pybind11;

namespace {

// A str's text as UTF-8, read from its PEP 393 storage: an ASCII str is its
// own UTF-8, others are transcoded into a buffer this object keeps between
// calls. Unlike PyUnicode_AsUTF8AndSize it leaves no UTF-8 copy on the str
// (that copy lives as long as the str), and it needs no GIL: a str is
// immutable and the caller holds a reference.
class StrUtf8 {
 public:
  // The str's characters [from, to). False when they hold a lone surrogate
  // (its index in the str: surrogate()). A str of Python 3.11's legacy API
  // must have been made ready (ready()).
  bool read(PyObject* s, std::size_t from = 0, std::size_t to = SIZE_MAX) {
    const auto units = std::min(static_cast<std::size_t>(PyUnicode_GET_LENGTH(s)), to) - from;
    if (PyUnicode_IS_ASCII(s)) {
      view_ = {static_cast<const char*>(PyUnicode_DATA(s)) + from, units};
      return true;
    }
    const int kind = PyUnicode_KIND(s);
    reserve(units * (kind == PyUnicode_1BYTE_KIND ? 2 : kind == PyUnicode_2BYTE_KIND ? 3 : 4));
    std::size_t bad = 0;
    const std::ptrdiff_t len =
        kind == PyUnicode_1BYTE_KIND   ? arnorm_py::to_utf8(PyUnicode_1BYTE_DATA(s) + from, units, buffer_.get(), &bad)
        : kind == PyUnicode_2BYTE_KIND ? arnorm_py::to_utf8(PyUnicode_2BYTE_DATA(s) + from, units, buffer_.get(), &bad)
                                       : arnorm_py::to_utf8(PyUnicode_4BYTE_DATA(s) + from, units, buffer_.get(), &bad);
    if (len < 0) return surrogate_ = static_cast<Py_ssize_t>(from + bad), false;
    view_ = {buffer_.get(), static_cast<std::size_t>(len)};
    return true;
  }
  std::string_view view() const { return view_; }
  Py_ssize_t surrogate() const { return surrogate_; }

  // Gives back a buffer grown for one large text, so a long-lived thread
  // does not keep it (the view is invalid afterwards).
  void trim() {
    if (capacity_ > kKeepBytes) buffer_.reset(), capacity_ = 0, view_ = {};
  }
  static constexpr std::size_t kKeepBytes = std::size_t{4} << 20;

  // Makes a str of the legacy API readable (GIL held); false with an error set.
  static bool ready(PyObject* s) {
#if PY_VERSION_HEX < 0x030C0000
    return PyUnicode_READY(s) == 0;
#else
    (void)s;
    return true;
#endif
  }

 private:
  void reserve(std::size_t need) {
    if (need > capacity_) buffer_.reset(new char[capacity_ = std::max(need, 2 * capacity_)]);
  }

  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::string_view view_;
  Py_ssize_t surrogate_ = -1;
};

std::string surrogate_message(const char* where, Py_ssize_t index) {
  return std::string(where) + ": the string holds a lone surrogate at index " + std::to_string(index) +
         ", which is not valid text";
}

std::string_view utf8_of(PyObject* s, StrUtf8& buffer, const char* where) {
  if (!StrUtf8::ready(s)) throw py::error_already_set();
  if (!buffer.read(s)) throw py::value_error(surrogate_message(where, buffer.surrogate()));
  return buffer.view();
}

// Below this many bytes the GIL stays held: releasing and taking it back
// costs more than the work, and no other thread could use the gap.
constexpr std::size_t kReleaseGilAbove = 4096;

[[noreturn]] void type_error(const char* where, py::handle obj, const char* expected) {
  throw py::type_error(std::string(where) + ": expected " + expected + ", got " + Py_TYPE(obj.ptr())->tp_name);
}

// Builds a str from arnorm's output: `head` (two-byte units, from the
// UTF-16 prefix; may be empty) then `tail`, valid UTF-8. One pass measures the
// tail (code points, widest character), then CPython's own storage (1, 2 or
// 4 bytes a character, PEP 393) is filled directly.
PyObject* str_from_parts(std::u16string_view head, std::string_view tail) {
  auto* p = reinterpret_cast<const unsigned char*>(tail.data());
  const arnorm_py::Utf8Shape shape = arnorm_py::measure_utf8(p, tail.size());
  const unsigned b = shape.widest_byte;
  // The largest byte bounds the widest character: C2/C3 leads fit one byte.
  Py_UCS4 maxchar = b < 0x80 ? 0x7F : b < 0xC4 ? 0xFF : b < 0xF0 ? 0xFFFF : 0x10FFFF;
  unsigned head_bits = 0;  // the OR of the head's units bounds the widest the same way
  for (char16_t u : head) {
    head_bits |= u;
    if (u >= 0x100) break;  // two bytes a character: nothing to learn from the rest
  }
  maxchar = std::max<Py_UCS4>(maxchar, head_bits < 0x80 ? 0x7F : head_bits < 0x100 ? 0xFF : 0xFFFF);
  const auto count = static_cast<Py_ssize_t>(head.size() + shape.code_points);
  PyObject* s = PyUnicode_New(count, maxchar);
  if (!s) return nullptr;
  void* data = PyUnicode_DATA(s);
  int kind = PyUnicode_KIND(s);
  auto fill = [&](auto* units) {
    std::copy(head.begin(), head.end(), units);  // every unit fits (maxchar above)
    arnorm_py::from_utf8(p, tail.size(), units + head.size());
  };
  auto fill_kind = [&] {
    if (kind == PyUnicode_1BYTE_KIND)
      fill(static_cast<Py_UCS1*>(data));
    else if (kind == PyUnicode_2BYTE_KIND)
      fill(static_cast<Py_UCS2*>(data));
    else
      fill(static_cast<Py_UCS4*>(data));
  };
  if (tail.size() + head.size() > kReleaseGilAbove) {
    arnorm_py::ReleaseGil release;
    fill_kind();
  } else {
    fill_kind();
  }
  return s;
}

PyObject* str_from_utf8(std::string_view out) { return str_from_parts({}, out); }

// An unchanged text comes back as itself, or as a plain str when it was a
// str subclass (a result is a str, never the caller's own type).
py::object same_str(PyObject* text) {
  PyObject* r = PyUnicode_FromObject(text);
  if (!r) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(r);
}

py::object to_str(const std::string& out, PyObject* original, std::string_view original_utf8) {
  if (original && out == original_utf8) return same_str(original);
  PyObject* r = str_from_utf8(out);
  if (!r) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(r);
}

// A copy of a str's UTF-8 (see utf8_of above), for the APIs that keep or
// hand on their text.
std::string utf8_copy(const py::str& s, const char* where) {
  StrUtf8 buffer;
  return std::string(utf8_of(s.ptr(), buffer, where));
}

// Byte offsets in valid UTF-8 to code point indices, for monotone queries.
class CodePointCounter {
 public:
  explicit CodePointCounter(std::string_view s) : s_(s) {}
  std::size_t at(std::size_t byte) {
    if (byte < byte_) byte_ = 0, index_ = 0;
    for (; byte_ < byte && byte_ < s_.size(); ++byte_)
      if ((static_cast<unsigned char>(s_[byte_]) & 0xC0) != 0x80) ++index_;
    return index_;
  }

 private:
  std::string_view s_;
  std::size_t byte_ = 0, index_ = 0;
};

// Row functions for whole Arrow columns (see arrow.hpp).
struct NormalizeRows {
  const arnorm::Normalizer* normalizer;
  bool invalid_to_null;
};

arnorm_py::RowResult normalize_row(const void* context, std::string_view in, std::string& out, double*) {
  const auto& rows = *static_cast<const NormalizeRows*>(context);
  arnorm::Result r = rows.normalizer->normalize_into(in, out);
  if (r.ok()) return {};
  if (r.error != arnorm::Error::invalid_utf8) throw std::bad_alloc();
  if (rows.invalid_to_null) return {arnorm_py::RowResult::null, 0};
  return {arnorm_py::RowResult::invalid_utf8, r.position};
}

arnorm_py::RowResult lookup_row(const void* context, std::string_view in, std::string& out, double* score) {
  auto found = static_cast<const arnorm::VariantIndex*>(context)->lookup(in, 1);
  if (found.empty()) return {arnorm_py::RowResult::null, 0};
  out += found[0].name;
  *score = found[0].score;
  return {};
}

arnorm_py::RowResult canonicalize_row(const void* context, std::string_view in, std::string& out, double*) {
  out += static_cast<const arnorm::VariantIndex*>(context)->canonicalize(in);
  return {};
}

// A two-byte str (most Arabic text) through the vector path's UTF-16
// prefix, alternating with the UTF-8 path from the first character the prefix
// cannot take up to the next ASCII character (no rule's context crosses one),
// so that only what needs the general path makes the UTF-8 round trip.
struct Ucs2Output {
  std::vector<std::uint16_t> units;
  std::size_t size = 0;
  bool changed = false;
  std::u16string_view view() const { return {reinterpret_cast<const char16_t*>(units.data()), size}; }
  void trim() {
    if (units.size() > StrUtf8::kKeepBytes / 2) std::vector<std::uint16_t>().swap(units);
  }
};

enum class Ucs2Outcome {
  done,        // the output is in Ucs2Output
  utf8_whole,  // take the str the UTF-8 way whole: the prefix took nothing, or a character above U+FFFF came out
  surrogate,   // at input.surrogate()
  out_of_memory,
};

// Appends the str's output to `o` (from o.size on); on any outcome but done,
// `o` is left as it was.
Ucs2Outcome normalize_ucs2(const arnorm::Normalizer& n, PyObject* text, StrUtf8& input, std::string& out,
                           Ucs2Output& o) {
  const auto length = static_cast<std::size_t>(PyUnicode_GET_LENGTH(text));
  const Py_UCS2* in = PyUnicode_2BYTE_DATA(text);
  // Ask for the first 4 KiB at once: a str seldom is in cache, and the
  // pass would otherwise meet its cache lines one miss at a time.
  for (std::size_t at = 0; at < std::min<std::size_t>(length, 2048); at += 32) __builtin_prefetch(in + at);
  const std::size_t base = o.size;
  if (o.units.size() < base + length) o.units.resize(std::max(base + length, 2 * o.units.size()));
  o.changed = false;
  const Ucs2Outcome outcome = [&] {
    std::size_t pos = 0, slow_at_least = 0;
    while (pos < length) {
      const arnorm::Utf16Prefix p =
          n.normalize_utf16_prefix({reinterpret_cast<const char16_t*>(in) + pos, length - pos},
                                   reinterpret_cast<char16_t*>(o.units.data()) + o.size);
      if (pos == 0 && p.stop == 0) return Ucs2Outcome::utf8_whole;
      o.changed =
          o.changed || p.written != p.consumed || !std::equal(in + pos, in + pos + p.consumed, o.units.data() + o.size);
      o.size += p.written;
      if (p.consumed == length - pos) return Ucs2Outcome::done;
      // When the prefix takes little, each UTF-8 stretch is made longer (up
      // to 64 Ki characters), so text that stops it often is not cut into crumbs.
      slow_at_least =
          p.consumed < 64 ? std::min<std::size_t>(std::max<std::size_t>(64, 2 * slow_at_least), 1 << 16) : 0;
      const std::size_t from = pos + p.consumed;
      std::size_t cut = std::max(pos + p.stop + 1, from + slow_at_least);
      while (cut < length && in[cut] >= 0x80) ++cut;
      cut = std::min(cut, length);
      if (!input.read(text, from, cut)) return Ucs2Outcome::surrogate;
      out.clear();
      if (!n.normalize_into(input.view(), out).ok()) return Ucs2Outcome::out_of_memory;
      o.changed = o.changed || out != input.view();
      auto* bytes = reinterpret_cast<const unsigned char*>(out.data());
      const arnorm_py::Utf8Shape shape = arnorm_py::measure_utf8(bytes, out.size());
      if (shape.widest_byte >= 0xF0) return Ucs2Outcome::utf8_whole;
      const std::size_t need = o.size + shape.code_points + (length - cut);
      if (o.units.size() < need) o.units.resize(std::max(need, 2 * o.units.size()));
      arnorm_py::from_utf8(bytes, out.size(), o.units.data() + o.size);
      o.size += shape.code_points;
      pos = cut;
    }
    return Ucs2Outcome::done;
  }();
  if (outcome != Ucs2Outcome::done) o.size = base;
  return outcome;
}

class Core {
 public:
  Core(const std::string& profile, const std::vector<std::pair<std::string, std::string>>& settings)
      : normalizer_(build(profile, settings)) {}

  py::object normalize(py::handle text, const std::string& errors) const {
    if (PyUnicode_Check(text.ptr())) {
      if (PyUnicode_IS_ASCII(text.ptr()) && !normalizer_.changes_ascii()) return same_str(text.ptr());
      StrUtf8 buffer;
      std::string_view in = utf8_of(text.ptr(), buffer, "normalize");
      std::string out;
      arnorm::Result r;
      {
        arnorm_py::ReleaseGil release;
        r = normalizer_.normalize_into(in, out);
      }
      if (!r.ok()) throw std::bad_alloc();  // valid UTF-8 in: only memory can fail
      return to_str(out, text.ptr(), in);
    }
    if (PyBytes_Check(text.ptr()) || PyByteArray_Check(text.ptr())) return normalize_bytes(text, errors);
    type_error("normalize", text, "str or bytes");
  }

  py::list normalize_batch(py::handle texts, py::handle workers_arg) const {
    const int workers = arnorm_py::workers_of(workers_arg, "normalize_batch");
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
    const std::size_t n = items.size(), tasks = (n + kBatchChunk - 1) / kBatchChunk;
    py::list result(n);
    if (arnorm_py::thread_count(workers, tasks, "normalize_batch") == 1) {
      // One thread: a chunk at a time, so its output is still in cache when
      // its strs are built (on 3.6 MB of news lines 1.0-1.4 GB/s; all at once, 0.8).
      BatchOutput o;
      StrUtf8 buffer;
      for (std::size_t first = 0; first < n; first += kBatchChunk) {
        const std::size_t last = std::min(n, first + kBatchChunk);
        Py_ssize_t bad;
        {
          arnorm_py::ReleaseGil release;
          bad = normalize_chunk(items, first, last, o, buffer);
        }
        if (bad == kChunkOutOfMemory) throw std::bad_alloc();
        if (bad >= 0) throw_surrogate(first + o.ends.size(), bad);
        collect_chunk(items, first, o, result);
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      }
      return result;
    }
    std::vector<BatchOutput> outs(tasks);
    std::atomic<std::size_t> bad_item{n};  // the first item with a lone surrogate
    std::vector<Py_ssize_t> bad_index(tasks, kChunkDone);
    arnorm_py::run_tasks(tasks, workers, "normalize_batch", [&](std::size_t task) {
      StrUtf8 buffer;  // one per task: its memory goes with it
      const std::size_t first = task * kBatchChunk;
      bad_index[task] = normalize_chunk(items, first, std::min(n, first + kBatchChunk), outs[task], buffer);
      if (bad_index[task] < 0) return;
      const std::size_t i = first + outs[task].ends.size();
      for (std::size_t seen = bad_item; i < seen && !bad_item.compare_exchange_weak(seen, i);) {
      }
    });
    if (bad_item < n) throw_surrogate(bad_item, bad_index[bad_item / kBatchChunk]);
    for (Py_ssize_t bad : bad_index)
      if (bad == kChunkOutOfMemory) throw std::bad_alloc();
    for (std::size_t task = 0; task < tasks; ++task) collect_chunk(items, task * kBatchChunk, outs[task], result);
    return result;
  }

  // Chunks of a string or binary Arrow column; errors: strict, replace or null.
  py::list normalize_arrow(py::handle chunks, py::handle workers_arg, const std::string& errors) const {
    const int workers = arnorm_py::workers_of(workers_arg, "normalize_arrow");
    if (errors != "strict" && errors != "replace" && errors != "null")
      throw py::value_error("normalize_arrow: errors must be 'strict', 'replace' or 'null', got '" + errors + "'");
    NormalizeRows rows{with_policy(errors == "replace" ? arnorm::InvalidUtf8::replace : arnorm::InvalidUtf8::strict),
                       errors == "null"};
    return arnorm_py::map_string_chunks(chunks, workers, "normalize_arrow", normalize_row, &rows,
                                        arnorm_py::OutputText::same_as_input, false);
  }

  py::tuple normalize_with_offsets(py::handle text) const {
    if (!PyUnicode_Check(text.ptr())) type_error("normalize_with_offsets", text, "str");
    StrUtf8 buffer;
    std::string_view in = utf8_of(text.ptr(), buffer, "normalize_with_offsets");
    std::vector<arnorm::SourceSpan> spans;
    std::string out;
    {
      arnorm_py::ReleaseGil release;
      out = normalizer_.normalize_with_offsets(in, spans);
    }
    CodePointCounter counter(in);
    py::list offsets(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i)
      PyList_SET_ITEM(offsets.ptr(), static_cast<Py_ssize_t>(i), PyLong_FromSize_t(counter.at(spans[i].begin)));
    return py::make_tuple(to_str(out, text.ptr(), in), offsets);
  }

  // The edits as instances of `edit_type` (arnorm.Edit, a tuple subclass of
  // seven fields), made here in one pass: building a plain tuple per edit and
  // then an Edit from it doubled the allocations and the collector's work.
  py::list explain(py::handle text, py::handle edit_type) const {
    if (!PyUnicode_Check(text.ptr())) type_error("explain", text, "str");
    if (!PyType_Check(edit_type.ptr()) || !PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(edit_type.ptr()), &PyTuple_Type))
      throw py::type_error("explain: edit_type must be a tuple subclass");
    auto* type = reinterpret_cast<PyTypeObject*>(edit_type.ptr());
    StrUtf8 buffer;
    std::string_view in = utf8_of(text.ptr(), buffer, "explain");
    std::string out;
    std::vector<arnorm::Edit> edits;
    {
      arnorm_py::ReleaseGil release;
      edits = normalizer_.explain(in, &out);
    }
    CodePointCounter src(in), dst(out);
    std::vector<py::object> rule_names;  // one str per rule, shared by its edits
    py::list result(edits.size());
    for (std::size_t i = 0; i < edits.size(); ++i) {
      const auto& e = edits[i];
      const auto rule = static_cast<std::size_t>(e.rule);
      if (rule >= rule_names.size()) rule_names.resize(rule + 1);
      if (!rule_names[rule]) rule_names[rule] = py::str(arnorm::rule_name(e.rule));
      // In order: the counters move forward only.
      const std::size_t sb = src.at(e.src_begin), se = src.at(e.src_end), ob = dst.at(e.out_begin),
                        oe = dst.at(e.out_end);
      PyObject* fields[7] = {PyLong_FromSize_t(sb), PyLong_FromSize_t(se), PyLong_FromSize_t(ob), PyLong_FromSize_t(oe),
                             rule_names[rule].inc_ref().ptr(),
                             PyUnicode_DecodeUTF8(in.data() + e.src_begin, static_cast<Py_ssize_t>(e.src_end - e.src_begin), "strict"),
                             PyUnicode_DecodeUTF8(out.data() + e.out_begin, static_cast<Py_ssize_t>(e.out_end - e.out_begin), "strict")};
      PyObject* item = type->tp_alloc(type, 7);
      bool ok = item != nullptr;
      for (PyObject* f : fields) ok = ok && f != nullptr;
      if (!ok) {
        for (PyObject* f : fields) Py_XDECREF(f);
        Py_XDECREF(item);
        throw py::error_already_set();
      }
      for (Py_ssize_t k = 0; k < 7; ++k) PyTuple_SET_ITEM(item, k, fields[k]);
      // Ints and strs only: the edit can be in no cycle, so the collector need not
      // walk it (CPython untracks such tuples itself, but only once a collection reaches them).
      PyObject_GC_UnTrack(item);  // safe on an untracked object too
      PyList_SET_ITEM(result.ptr(), static_cast<Py_ssize_t>(i), item);
    }
    return result;
  }

  const arnorm::Normalizer& normalizer() const { return normalizer_; }

  std::vector<std::pair<std::string, std::string>> options() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& name : arnorm::Options::option_names()) out.emplace_back(name, normalizer_.options().get(name));
    return out;
  }

 private:
  static arnorm::Normalizer build(const std::string& profile,
                                  const std::vector<std::pair<std::string, std::string>>& settings) {
    arnorm::Options o = arnorm::Options::profile(profile);
    for (const auto& [name, value] : settings) o.set(name, value);
    return arnorm::Normalizer(o);
  }

  // This normalizer, or its sibling with the other invalid-UTF-8 policy (there
  // are two), compiled on first use and kept: compiling one per call cost
  // milliseconds a call.
  const arnorm::Normalizer* with_policy(arnorm::InvalidUtf8 policy) const {
    if (policy == normalizer_.options().invalid_utf8) return &normalizer_;
    std::call_once(sibling_->once, [&] {
      arnorm::Options o = normalizer_.options();
      o.invalid_utf8 = policy;
      sibling_->normalizer = std::make_unique<arnorm::Normalizer>(o);
    });
    return sibling_->normalizer.get();
  }

  py::object normalize_bytes(py::handle data, const std::string& errors) const {
    if (errors != "strict" && errors != "replace")
      throw py::value_error("normalize: errors must be 'strict' or 'replace', got '" + errors + "'");
    py::bytes owned = PyBytes_Check(data.ptr()) ? py::reinterpret_borrow<py::bytes>(data)
                                                : py::bytes(PyByteArray_AsString(data.ptr()),
                                                            static_cast<std::size_t>(PyByteArray_Size(data.ptr())));
    char* p = nullptr;
    Py_ssize_t len = 0;
    PyBytes_AsStringAndSize(owned.ptr(), &p, &len);
    std::string_view in(p, static_cast<std::size_t>(len));
    const arnorm::Normalizer* n =
        with_policy(errors == "replace" ? arnorm::InvalidUtf8::replace : arnorm::InvalidUtf8::strict);
    std::string out;
    arnorm::Result r;
    {
      arnorm_py::ReleaseGil release;
      r = n->normalize_into(in, out);
    }
    if (r.error == arnorm::Error::invalid_utf8) {
      PyObject* exc = PyUnicodeDecodeError_Create("utf-8", p, len, static_cast<Py_ssize_t>(r.position),
                                                  static_cast<Py_ssize_t>(r.position) + 1, "invalid UTF-8 (arnorm)");
      PyErr_SetObject(PyExc_UnicodeDecodeError, exc);
      Py_XDECREF(exc);
      throw py::error_already_set();
    }
    if (!r.ok()) throw std::bad_alloc();
    return py::bytes(out);
  }

  // Chunks of kBatchChunk strings are the tasks: enough to share out, few
  // enough to be cheap. Each worker reads its strs' storage itself, without
  // the GIL, and writes a chunk's results into one buffer (no allocation per string).
  static constexpr std::size_t kBatchChunk = 256;
  // A chunk's results: UTF-8 in `bytes`, or, for two-byte strs the UTF-16
  // prefix took, two-byte units in `units`.
  enum class Form : char { unchanged, bytes, units };  // unchanged: return the same str
  struct BatchOutput {
    std::string bytes;
    Ucs2Output units;
    std::string scratch;                       // the UTF-8 stretches of two-byte strs
    std::vector<std::size_t> ends, unit_ends;  // where each item's result ends in `bytes` and in `units`
    std::vector<Form> forms;
  };

  // Normalizes items [first, last) into `o` (its old content dropped), without
  // the GIL. Returns kChunkDone, kChunkOutOfMemory, or the index of a lone
  // surrogate in the item after the last one `o` holds. Never throws (it runs
  // as a worker's task).
  static constexpr Py_ssize_t kChunkDone = -1, kChunkOutOfMemory = -2;
  Py_ssize_t normalize_chunk(const std::vector<py::object>& items, std::size_t first, std::size_t last, BatchOutput& o,
                             StrUtf8& buffer) const noexcept {
    try {
      return normalize_items(items, first, last, o, buffer);
    } catch (const std::bad_alloc&) {
      return kChunkOutOfMemory;
    }
  }
  Py_ssize_t normalize_items(const std::vector<py::object>& items, std::size_t first, std::size_t last, BatchOutput& o,
                             StrUtf8& buffer) const {
    o.bytes.clear();
    o.units.size = 0;
    o.ends.clear();
    o.unit_ends.clear();
    o.forms.clear();
    for (std::size_t i = first; i < last; ++i) {
      PyObject* s = items[i].ptr();
      const std::size_t before = o.bytes.size();
      Form form = PyUnicode_IS_ASCII(s) && !normalizer_.changes_ascii() ? Form::unchanged : Form::bytes;
      if (form == Form::bytes && PyUnicode_KIND(s) == PyUnicode_2BYTE_KIND) {
        const std::size_t unit_before = o.units.size;
        switch (normalize_ucs2(normalizer_, s, buffer, o.scratch, o.units)) {
          case Ucs2Outcome::done:
            form = o.units.changed ? Form::units : Form::unchanged;
            if (form == Form::unchanged) o.units.size = unit_before;
            break;
          case Ucs2Outcome::surrogate:
            return buffer.surrogate();
          case Ucs2Outcome::out_of_memory:
            return kChunkOutOfMemory;
          case Ucs2Outcome::utf8_whole:
            break;
        }
      }
      if (form == Form::bytes) {
        if (!buffer.read(s)) return buffer.surrogate();
        if (!normalizer_.normalize_into(buffer.view(), o.bytes).ok()) return kChunkOutOfMemory;
        if (std::string_view(o.bytes).substr(before) == buffer.view()) form = Form::unchanged, o.bytes.resize(before);
      }
      o.ends.push_back(o.bytes.size());
      o.unit_ends.push_back(o.units.size);
      o.forms.push_back(form);
    }
    return kChunkDone;
  }

  // Puts a normalized chunk's strs into result[first...] (GIL held).
  static void collect_chunk(const std::vector<py::object>& items, std::size_t first, const BatchOutput& o,
                            py::list& result) {
    for (std::size_t k = 0; k < o.ends.size(); ++k) {
      const std::size_t begin = k ? o.ends[k - 1] : 0, unit_begin = k ? o.unit_ends[k - 1] : 0;
      PyObject* r = o.forms[k] == Form::unchanged ? PyUnicode_FromObject(items[first + k].ptr())
                    : o.forms[k] == Form::units
                        ? str_from_parts(o.units.view().substr(unit_begin, o.unit_ends[k] - unit_begin), {})
                        : str_from_utf8(std::string_view(o.bytes).substr(begin, o.ends[k] - begin));
      if (!r) throw py::error_already_set();
      PyList_SET_ITEM(result.ptr(), static_cast<Py_ssize_t>(first + k), r);
    }
  }

  [[noreturn]] static void throw_surrogate(std::size_t item, Py_ssize_t index) {
    throw py::value_error(surrogate_message(("normalize_batch: item " + std::to_string(item)).c_str(), index));
  }

  arnorm::Normalizer normalizer_;
  struct Sibling {
    std::once_flag once;
    std::unique_ptr<arnorm::Normalizer> normalizer;
  };
  std::shared_ptr<Sibling> sibling_ = std::make_shared<Sibling>();
};

// The per-call hot path: one str through a Normalizer, without pybind11's
// dispatch, which costs more than the normalization of a short line.
constexpr const char* kCapsuleName = "arnorm.Normalizer";

PyObject* normalize_str(const arnorm::Normalizer* n, PyObject* text) {
  if (!StrUtf8::ready(text)) return nullptr;
  if (PyUnicode_IS_ASCII(text) && !n->changes_ascii()) return PyUnicode_FromObject(text);
  thread_local StrUtf8 input;
  thread_local std::string out;
  thread_local Ucs2Output units;
  out.clear();
  bool read = true;
  arnorm::Result r;
  Ucs2Outcome ucs2 = Ucs2Outcome::utf8_whole;
  auto work = [&] {  // (may run without the GIL: no exception may leave it)
    try {
      units.size = 0;
      if (PyUnicode_KIND(text) == PyUnicode_2BYTE_KIND) ucs2 = normalize_ucs2(*n, text, input, out, units);
      if (ucs2 == Ucs2Outcome::utf8_whole) {
        out.clear();
        if ((read = input.read(text))) r = n->normalize_into(input.view(), out);
      }
    } catch (const std::bad_alloc&) {
      ucs2 = Ucs2Outcome::out_of_memory;
    }
  };
  if (static_cast<std::size_t>(PyUnicode_GET_LENGTH(text)) > kReleaseGilAbove) {
    arnorm_py::ReleaseGil release;
    work();
  } else {
    work();
  }
  PyObject* result;
  if (!read || ucs2 == Ucs2Outcome::surrogate) {
    PyErr_SetString(PyExc_ValueError, surrogate_message("normalize", input.surrogate()).c_str());
    result = nullptr;
  } else if (!r.ok() || ucs2 == Ucs2Outcome::out_of_memory) {
    result = PyErr_NoMemory();
  } else if (ucs2 == Ucs2Outcome::done) {
    result = units.changed ? str_from_parts(units.view(), {}) : PyUnicode_FromObject(text);
  } else {
    result = out == input.view() ? PyUnicode_FromObject(text) : str_from_utf8(out);
  }
  input.trim();
  units.trim();
  if (out.capacity() > StrUtf8::kKeepBytes) std::string().swap(out);
  return result;
}

// A callable in front of the Python function `general` that does the common
// call, normalize(a str) with the defaults, without a Python frame (which cost
// about 100 ns, a third of a 10-word line's call), and hands every other call
// to `general` unchanged. Two types: `StrFastFunction(general, capsule)`, a
// module function with its Normalizer; `StrFastMethod(general)`, a method that
// binds like one (and is called unbound, self first, as CPython does for
// method descriptors) and reads the capsule from the instance's `_capsule`.
// Both show general's name, doc and (through __wrapped__) signature.
struct StrFastPath {
  PyObject_HEAD vectorcallfunc vectorcall;
  PyObject* general;
  PyObject* capsule;  // null for the method form
};

#if PY_VERSION_HEX < 0x03090000  // vectorcall was provisional in 3.8
#define Py_TPFLAGS_HAVE_VECTORCALL _Py_TPFLAGS_HAVE_VECTORCALL
#define PyObject_Vectorcall _PyObject_Vectorcall
#endif

PyObject* g_capsule_attr = nullptr;  // "_capsule", interned
PyTypeObject g_fast_function_type = {PyVarObject_HEAD_INIT(nullptr, 0)};
PyTypeObject g_fast_method_type = {PyVarObject_HEAD_INIT(nullptr, 0)};

PyObject* fast_path_call(PyObject* callable, PyObject* const* args, std::size_t nargsf, PyObject* kwnames) {
  auto* self = reinterpret_cast<StrFastPath*>(callable);
  const Py_ssize_t text_at = self->capsule ? 0 : 1;
  if (PyVectorcall_NARGS(nargsf) != text_at + 1 || kwnames || !PyUnicode_CheckExact(args[text_at]))
    return PyObject_Vectorcall(self->general, args, nargsf, kwnames);
  PyObject* capsule =
      self->capsule ? (Py_INCREF(self->capsule), self->capsule) : PyObject_GetAttr(args[0], g_capsule_attr);
  if (!capsule) return nullptr;
  auto* n = static_cast<const arnorm::Normalizer*>(PyCapsule_GetPointer(capsule, kCapsuleName));
  PyObject* result = n ? normalize_str(n, args[text_at]) : nullptr;
  Py_DECREF(capsule);
  return result;
}

PyObject* fast_path_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  PyObject* general = nullptr;
  PyObject* capsule = Py_None;
  static const char* names[] = {"general", "capsule", nullptr};
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O", const_cast<char**>(names), &general, &capsule)) return nullptr;
  const bool method = type == &g_fast_method_type;
  if (method ? capsule != Py_None : !PyCapsule_IsValid(capsule, kCapsuleName)) {
    PyErr_SetString(PyExc_TypeError, method ? "StrFastMethod takes no capsule"
                                            : "StrFastFunction: capsule must be a Normalizer's capsule");
    return nullptr;
  }
  auto* self = reinterpret_cast<StrFastPath*>(type->tp_alloc(type, 0));
  if (!self) return nullptr;
  self->vectorcall = fast_path_call;
  Py_INCREF(general);
  self->general = general;
  if (capsule != Py_None) Py_INCREF(capsule), self->capsule = capsule;
  return reinterpret_cast<PyObject*>(self);
}

int fast_path_traverse(PyObject* o, visitproc visit, void* arg) {
  auto* self = reinterpret_cast<StrFastPath*>(o);
  Py_VISIT(self->general);
  Py_VISIT(self->capsule);
  return 0;
}

int fast_path_clear(PyObject* o) {
  auto* self = reinterpret_cast<StrFastPath*>(o);
  Py_CLEAR(self->general);
  Py_CLEAR(self->capsule);
  return 0;
}

void fast_path_dealloc(PyObject* o) {
  PyObject_GC_UnTrack(o);
  fast_path_clear(o);
  Py_TYPE(o)->tp_free(o);
}

PyObject* fast_path_bind(PyObject* self, PyObject* instance, PyObject*) {
  if (!instance) return Py_INCREF(self), self;
  return PyMethod_New(self, instance);
}

// __wrapped__ is general; __doc__, __name__, __qualname__ and __module__ are general's.
PyObject* fast_path_getattr(PyObject* self, PyObject* name) {
  PyObject* general = reinterpret_cast<StrFastPath*>(self)->general;
  if (PyUnicode_CompareWithASCIIString(name, "__wrapped__") == 0) return Py_INCREF(general), general;
  for (const char* forwarded : {"__doc__", "__name__", "__qualname__", "__module__"})
    if (PyUnicode_CompareWithASCIIString(name, forwarded) == 0) return PyObject_GetAttr(general, name);
  return PyObject_GenericGetAttr(self, name);
}

bool ready_fast_path_type(PyTypeObject& t, const char* name, bool method) {
  t.tp_name = name;
  t.tp_basicsize = sizeof(StrFastPath);
  t.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL;
  if (method) t.tp_flags |= Py_TPFLAGS_METHOD_DESCRIPTOR, t.tp_descr_get = fast_path_bind;
  t.tp_doc = "normalize(a str) without a Python frame, any other call to the function it wraps (private)";
  t.tp_vectorcall_offset = offsetof(StrFastPath, vectorcall);
  t.tp_call = PyVectorcall_Call;
  t.tp_new = fast_path_new;
  t.tp_dealloc = fast_path_dealloc;
  t.tp_traverse = fast_path_traverse;
  t.tp_clear = fast_path_clear;
  t.tp_getattro = fast_path_getattr;
  return PyType_Ready(&t) == 0;
}

bool ready_fast_path_types() {
  g_capsule_attr = PyUnicode_InternFromString("_capsule");
  return g_capsule_attr && ready_fast_path_type(g_fast_function_type, "arnorm._arnorm.StrFastFunction", false) &&
         ready_fast_path_type(g_fast_method_type, "arnorm._arnorm.StrFastMethod", true);
}

}  // namespace

PYBIND11_MODULE(_arnorm, m) {
  if (!ready_fast_path_types()) throw py::error_already_set();
  m.attr("StrFastFunction") = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(&g_fast_function_type));
  m.attr("StrFastMethod") = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(&g_fast_method_type));
  m.doc() = "arnorm's C++ core (private: use the arnorm package)";
  arnorm_py::register_arrow(m);
  py::class_<Core>(m, "Core")
      .def(py::init<const std::string&, const std::vector<std::pair<std::string, std::string>>&>())
      .def("normalize", &Core::normalize, py::arg("text"), py::arg("errors") = "strict")
      .def("normalize_batch", &Core::normalize_batch, py::arg("texts"), py::arg("workers") = py::int_(1))
      .def("normalize_arrow", &Core::normalize_arrow, py::arg("chunks"), py::arg("workers") = py::int_(1),
           py::arg("errors") = "strict")
      .def("normalize_with_offsets", &Core::normalize_with_offsets, py::arg("text"))
      .def("explain", &Core::explain, py::arg("text"), py::arg("edit_type"))
      .def("options", &Core::options)
      .def("capsule", [](py::object self) {
        // Points into this Core and holds a reference to it (its context), so
        // that whoever holds the capsule, for as long as a call, keeps the Core alive.
        const arnorm::Normalizer* n = &self.cast<const Core&>().normalizer();
        PyObject* capsule = PyCapsule_New(const_cast<arnorm::Normalizer*>(n), kCapsuleName, [](PyObject* c) {
          Py_XDECREF(static_cast<PyObject*>(PyCapsule_GetContext(c)));
        });
        if (!capsule) throw py::error_already_set();
        if (PyCapsule_SetContext(capsule, self.inc_ref().ptr()) != 0) {
          self.dec_ref();
          Py_DECREF(capsule);
          throw py::error_already_set();
        }
        return py::reinterpret_steal<py::object>(capsule);
      });
  m.def("option_names", &arnorm::Options::option_names);
  m.def("profile_names", &arnorm::Options::profile_names);
  m.def("profile_options", [](const std::string& profile) {
    arnorm::Options o = arnorm::Options::profile(profile);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& name : arnorm::Options::option_names()) out.emplace_back(name, o.get(name));
    return out;
  });
  m.def("unicode_version", &arnorm::unicode_version);
  m.def("vector_path", &arnorm::vector_path);
  m.def("_allow_vector_transcoding", &arnorm_py::allow_vector_transcoding, py::arg("allowed"),
        "Tests only: turn the AVX-512 str transcoding off (False) or back on (True)");

  // Spelling variants of names. Words are str only (bytes would pass as
  // unchecked UTF-8); a lone surrogate is a ValueError, as everywhere.
  m.def(
      "variant_key", [](const py::str& w) { return arnorm::variant_key(utf8_copy(w, "variant_key")); }, py::arg("word"));
  py::class_<arnorm::Lexicon>(m, "Lexicon")
      .def(py::init<>())
      .def(py::init([](const py::iterable& words, bool builtin) {
             if (py::isinstance<py::str>(words)) throw py::type_error("Lexicon: expected an iterable of str, got a str");
             std::vector<std::string> list;
             for (py::handle w : words) {
               if (!py::isinstance<py::str>(w))
                 throw py::type_error("Lexicon: expected str words, got " +
                                      std::string(py::str(py::type::handle_of(w).attr("__name__"))));
               list.push_back(utf8_copy(py::reinterpret_borrow<py::str>(w), "Lexicon"));
             }
             return arnorm::Lexicon(list, builtin);
           }),
           py::arg("words"), py::arg("builtin") = true)
      .def_static("none", &arnorm::Lexicon::none)
      .def("__contains__",
           [](const arnorm::Lexicon& l, const py::object& w) {
             if (!py::isinstance<py::str>(w)) return false;  // like a set: other types are simply not in it
             std::string word = utf8_copy(py::reinterpret_borrow<py::str>(w), "Lexicon");
             arnorm_py::ReleaseGil release;
             return l.knows(word);
           })
      .def("__len__", &arnorm::Lexicon::size)
      .def_property_readonly("builtin", &arnorm::Lexicon::with_builtin);
  m.def(
      "variant_similarity",
      [](const py::str& a, const py::str& b, const arnorm::Lexicon* lexicon) {
        std::string x = utf8_copy(a, "variant_similarity"), y = utf8_copy(b, "variant_similarity");
        arnorm_py::ReleaseGil release;
        return arnorm::variant_similarity(x, y, lexicon);
      },
      py::arg("a"), py::arg("b"), py::arg("lexicon") = nullptr);
  m.def(
      "are_variants",
      [](const py::str& a, const py::str& b, double threshold, const arnorm::Lexicon* lexicon) {
        std::string x = utf8_copy(a, "are_variants"), y = utf8_copy(b, "are_variants");
        arnorm_py::ReleaseGil release;
        return arnorm::are_variants(x, y, threshold, lexicon);
      },
      py::arg("a"), py::arg("b"), py::arg("threshold") = arnorm::kVariantThreshold, py::arg("lexicon") = nullptr);
  py::class_<arnorm::VariantIndex>(m, "VariantIndex")
      .def(py::init<double>(), py::arg("threshold") = arnorm::kVariantThreshold)
      .def(
          "add",
          [](arnorm::VariantIndex& self, const py::str& name, std::uint64_t count) {
            std::string n = utf8_copy(name, "VariantIndex.add");
            arnorm_py::ReleaseGil release;  // add() waits for lookups under way in other threads
            self.add(n, count);
          },
          py::arg("name"), py::arg("count") = 0)
      .def("__len__", &arnorm::VariantIndex::size)
      .def_property_readonly("threshold", &arnorm::VariantIndex::threshold)
      .def(
          "lookup",
          [](const arnorm::VariantIndex& self, const py::str& q, std::size_t k) {
            std::string query = utf8_copy(q, "lookup");
            std::vector<arnorm::VariantMatch> found;
            {
              arnorm_py::ReleaseGil release;
              found = self.lookup(query, k);
            }
            py::list out;
            for (const auto& f : found) out.append(py::make_tuple(f.name, f.score));
            return out;
          },
          py::arg("query"), py::arg("k") = 5)
      .def(
          "lookup_arrow",
          [](const arnorm::VariantIndex& self, py::handle chunks, py::handle workers) {
            return arnorm_py::map_string_chunks(chunks, arnorm_py::workers_of(workers, "lookup_arrow"), "lookup_arrow", lookup_row, &self,
                                                arnorm_py::OutputText::utf8, true);
          },
          py::arg("chunks"), py::arg("workers") = py::int_(1))
      .def(
          "canonicalize_arrow",
          [](const arnorm::VariantIndex& self, py::handle chunks, py::handle workers) {
            return arnorm_py::map_string_chunks(chunks, arnorm_py::workers_of(workers, "canonicalize_arrow"), "canonicalize_arrow", canonicalize_row, &self,
                                                arnorm_py::OutputText::same_as_input, false);
          },
          py::arg("chunks"), py::arg("workers") = py::int_(1))
      .def(
          "canonicalize",
          [](const arnorm::VariantIndex& self, const py::str& t) {
            std::string text = utf8_copy(t, "canonicalize");
            arnorm_py::ReleaseGil release;
            return self.canonicalize(text);
          },
          py::arg("text"))
      .def(
          "canonicalize_reporting",
          [](const arnorm::VariantIndex& self, const py::str& t) {
            std::string text = utf8_copy(t, "canonicalize");
            std::vector<arnorm::Rewrite> rewrites;
            std::string out;
            {
              arnorm_py::ReleaseGil release;
              out = self.canonicalize(text, &rewrites);
            }
            // Byte spans to str indices.
            CodePointCounter index(text);
            py::list report;
            for (const auto& r : rewrites) {
              const std::size_t begin = index.at(r.begin), end = index.at(r.end);
              report.append(py::make_tuple(begin, end, text.substr(r.begin, r.end - r.begin), r.replacement, r.score));
            }
            return py::make_tuple(out, report);
          },
          py::arg("text"));
  py::class_<arnorm::VariantStats>(m, "VariantStats")
      .def(py::init<const arnorm::Lexicon&>(), py::arg("lexicon") = arnorm::Lexicon())
      .def(
          "add",
          // The GIL stays held: statistics change here, and another thread may be reading them.
          [](arnorm::VariantStats& self, const py::str& text, std::uint64_t source) { self.add(utf8_copy(text, "VariantStats.add"), source); },
          py::arg("text"), py::arg("source"))
      .def("merge", &arnorm::VariantStats::merge, py::arg("other"))
      .def_property_readonly("words", &arnorm::VariantStats::words)
      .def("serialize", [](const arnorm::VariantStats& self) { return py::bytes(self.serialize()); })
      .def_static(
          "deserialize",
          [](const py::bytes& data, const arnorm::Lexicon& lexicon) {
            return arnorm::VariantStats::deserialize(std::string(data), lexicon);
          },
          py::arg("data"), py::arg("lexicon") = arnorm::Lexicon());
  auto groups_to_python = [](const std::vector<arnorm::VariantGroup>& groups) {
    py::list out;
    for (const auto& g : groups) out.append(py::make_tuple(g.spellings, g.counts, g.confidence));
    return out;
  };
  m.def(
      "find_variants",
      [groups_to_python](const std::vector<std::string>& texts, double threshold, double min_confidence,
                         const arnorm::Lexicon* lexicon) {
        std::vector<arnorm::VariantGroup> groups;
        {
          arnorm_py::ReleaseGil release;
          groups = arnorm::find_variants(texts, threshold, min_confidence, lexicon);
        }
        return groups_to_python(groups);
      },
      py::arg("texts"), py::arg("threshold") = arnorm::kVariantThreshold, py::arg("min_confidence") = 0.5,
      py::arg("lexicon") = nullptr);
  m.def(
      "find_variants_in_stats",
      [groups_to_python](const arnorm::VariantStats& stats, double threshold, double min_confidence) {
        // The GIL stays held, so that no other thread adds to the statistics while they are read.
        return groups_to_python(arnorm::find_variants(stats, threshold, min_confidence));
      },
      py::arg("stats"), py::arg("threshold") = arnorm::kVariantThreshold, py::arg("min_confidence") = 0.5);
}
