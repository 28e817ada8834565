// The private extension module behind the `arnorm` Python package. Strings
// are read through CPython's cached UTF-8 form and built back from UTF-8, the
// GIL is released around every normalization, and unchanged text returns the
// very same str object.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <arnorm/arnorm.hpp>
#include <arnorm/variants.hpp>
#include <atomic>
#include <cstring>
#include <memory>
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
  // False when the str holds a lone surrogate (its index: surrogate()). A
  // str of Python 3.11's legacy API must have been made ready (ready()).
  bool read(PyObject* s) {
    const Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (PyUnicode_IS_ASCII(s)) {
      view_ = {static_cast<const char*>(PyUnicode_DATA(s)), static_cast<std::size_t>(n)};
      return true;
    }
    const auto units = static_cast<std::size_t>(n);
    const int kind = PyUnicode_KIND(s);
    reserve(units * (kind == PyUnicode_1BYTE_KIND ? 2 : kind == PyUnicode_2BYTE_KIND ? 3 : 4));
    std::size_t bad = 0;
    const std::ptrdiff_t len =
        kind == PyUnicode_1BYTE_KIND   ? arnorm_py::to_utf8(PyUnicode_1BYTE_DATA(s), units, buffer_.get(), &bad)
        : kind == PyUnicode_2BYTE_KIND ? arnorm_py::to_utf8(PyUnicode_2BYTE_DATA(s), units, buffer_.get(), &bad)
                                       : arnorm_py::to_utf8(PyUnicode_4BYTE_DATA(s), units, buffer_.get(), &bad);
    if (len < 0) return surrogate_ = static_cast<Py_ssize_t>(bad), false;
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

// Builds a str from arnorm's output, which is always valid UTF-8: one pass to
// count code points and find the widest, then CPython's own storage (1, 2 or
// 4 bytes a character, PEP 393) filled directly.
PyObject* str_from_utf8(std::string_view out) {
  auto* p = reinterpret_cast<const unsigned char*>(out.data());
  auto* end = p + out.size();
  Py_ssize_t count = 0;
  unsigned max_lead = 0;
  for (const unsigned char* q = p; q < end; ++q) {
    count += (*q & 0xC0) != 0x80;
    max_lead = std::max<unsigned>(max_lead, *q);
  }
  // The widest lead byte bounds the widest character: C2/C3 fit one byte.
  Py_UCS4 maxchar = max_lead < 0x80 ? 0x7F : max_lead < 0xC4 ? 0xFF : max_lead < 0xF0 ? 0xFFFF : 0x10FFFF;
  PyObject* s = PyUnicode_New(count, maxchar);
  if (!s) return nullptr;
  void* data = PyUnicode_DATA(s);
  int kind = PyUnicode_KIND(s);
  auto fill = [&] {
    if (kind == PyUnicode_1BYTE_KIND)
      arnorm_py::from_utf8(p, out.size(), static_cast<Py_UCS1*>(data));
    else if (kind == PyUnicode_2BYTE_KIND)
      arnorm_py::from_utf8(p, out.size(), static_cast<Py_UCS2*>(data));
    else
      arnorm_py::from_utf8(p, out.size(), static_cast<Py_UCS4*>(data));
  };
  if (out.size() > kReleaseGilAbove) {
    Py_BEGIN_ALLOW_THREADS fill();
    Py_END_ALLOW_THREADS
  } else {
    fill();
  }
  return s;
}

py::object to_str(const std::string& out, PyObject* original, std::string_view original_utf8) {
  if (original && out == original_utf8) return py::reinterpret_borrow<py::object>(original);
  PyObject* r = str_from_utf8(out);
  if (!r) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(r);
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

// A Lexicon for Python (a distinct type, so pybind11 does not turn it into a set).
struct KnownWords {
  arnorm::Lexicon words;
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

class Core {
 public:
  Core(const std::string& profile, const std::vector<std::pair<std::string, std::string>>& settings)
      : normalizer_(build(profile, settings)) {}

  py::object normalize(py::handle text, const std::string& errors) const {
    if (PyUnicode_Check(text.ptr())) {
      if (PyUnicode_IS_ASCII(text.ptr()) && !normalizer_.changes_ascii())
        return py::reinterpret_borrow<py::object>(text);
      StrUtf8 buffer;
      std::string_view in = utf8_of(text.ptr(), buffer, "normalize");
      std::string out;
      arnorm::Result r;
      {
        py::gil_scoped_release release;
        r = normalizer_.normalize_into(in, out);
      }
      if (!r.ok()) throw std::bad_alloc();  // valid UTF-8 in: only memory can fail
      return to_str(out, text.ptr(), in);
    }
    if (PyBytes_Check(text.ptr()) || PyByteArray_Check(text.ptr())) return normalize_bytes(text, errors);
    type_error("normalize", text, "str or bytes");
  }

  py::list normalize_batch(py::handle texts, int workers) const {
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
    std::vector<BatchOutput> outs;
    run_parallel(items, outs, workers);
    py::list result(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const BatchOutput& o = outs[i / kBatchChunk];
      const std::size_t k = i % kBatchChunk;
      const std::size_t begin = k ? o.ends[k - 1] : 0;
      PyObject* r = o.unchanged[k] ? items[i].inc_ref().ptr()
                                   : str_from_utf8(std::string_view(o.bytes).substr(begin, o.ends[k] - begin));
      if (!r) throw py::error_already_set();
      PyList_SET_ITEM(result.ptr(), static_cast<Py_ssize_t>(i), r);
    }
    return result;
  }

  // Chunks of a string or binary Arrow column; errors: strict, replace or null.
  py::list normalize_arrow(py::handle chunks, int workers, const std::string& errors) const {
    if (errors != "strict" && errors != "replace" && errors != "null")
      throw py::value_error("normalize_arrow: errors must be 'strict', 'replace' or 'null', got '" + errors + "'");
    std::unique_ptr<arnorm::Normalizer> other;
    NormalizeRows rows{
        with_policy(errors == "replace" ? arnorm::InvalidUtf8::replace : arnorm::InvalidUtf8::strict, other),
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
      py::gil_scoped_release release;
      out = normalizer_.normalize_with_offsets(in, spans);
    }
    CodePointCounter counter(in);
    py::list offsets(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i)
      PyList_SET_ITEM(offsets.ptr(), static_cast<Py_ssize_t>(i), PyLong_FromSize_t(counter.at(spans[i].begin)));
    return py::make_tuple(to_str(out, text.ptr(), in), offsets);
  }

  py::list explain(py::handle text) const {
    if (!PyUnicode_Check(text.ptr())) type_error("explain", text, "str");
    StrUtf8 buffer;
    std::string_view in = utf8_of(text.ptr(), buffer, "explain");
    std::string out;
    std::vector<arnorm::Edit> edits;
    {
      py::gil_scoped_release release;
      edits = normalizer_.explain(in, &out);
    }
    CodePointCounter src(in), dst(out);
    py::list result;
    for (const auto& e : edits) {
      result.append(py::make_tuple(src.at(e.src_begin), src.at(e.src_end), dst.at(e.out_begin), dst.at(e.out_end),
                                   arnorm::rule_name(e.rule),
                                   py::str(std::string(in.substr(e.src_begin, e.src_end - e.src_begin))),
                                   py::str(out.substr(e.out_begin, e.out_end - e.out_begin))));
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

  // This normalizer, or (in `owner`) a copy with another invalid-UTF-8 policy.
  const arnorm::Normalizer* with_policy(arnorm::InvalidUtf8 policy, std::unique_ptr<arnorm::Normalizer>& owner) const {
    arnorm::Options o = normalizer_.options();
    o.invalid_utf8 = policy;
    if (o == normalizer_.options()) return &normalizer_;
    owner = std::make_unique<arnorm::Normalizer>(o);
    return owner.get();
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
    std::unique_ptr<arnorm::Normalizer> other;
    const arnorm::Normalizer* n =
        with_policy(errors == "replace" ? arnorm::InvalidUtf8::replace : arnorm::InvalidUtf8::strict, other);
    std::string out;
    arnorm::Result r;
    {
      py::gil_scoped_release release;
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
  struct BatchOutput {
    std::string bytes;
    std::vector<std::size_t> ends;  // where each string's result ends in `bytes`
    std::vector<char> unchanged;    // the result is the input: return the same str
  };

  void run_parallel(const std::vector<py::object>& items, std::vector<BatchOutput>& outs, int workers) const {
    const std::size_t n = items.size(), tasks = (n + kBatchChunk - 1) / kBatchChunk;
    outs.resize(tasks);
    std::atomic<bool> failed{false};
    std::atomic<std::size_t> bad_item{n};  // the first item with a lone surrogate
    std::vector<Py_ssize_t> bad_index(tasks, -1);
    arnorm_py::run_tasks(tasks, workers, "normalize_batch", [&](std::size_t task) {
      StrUtf8 buffer;  // one per task: its memory goes with it
      BatchOutput& o = outs[task];
      const std::size_t first = task * kBatchChunk, last = std::min(n, first + kBatchChunk);
      o.ends.reserve(last - first);
      o.unchanged.reserve(last - first);
      for (std::size_t i = first; i < last; ++i) {
        PyObject* s = items[i].ptr();
        const std::size_t before = o.bytes.size();
        bool same = PyUnicode_IS_ASCII(s) && !normalizer_.changes_ascii();
        if (!same) {
          if (!buffer.read(s)) {
            bad_index[task] = buffer.surrogate();
            for (std::size_t seen = bad_item; i < seen && !bad_item.compare_exchange_weak(seen, i);) {
            }
            return;
          }
          if (!normalizer_.normalize_into(buffer.view(), o.bytes).ok()) failed = true;
          same = std::string_view(o.bytes).substr(before) == buffer.view();
          if (same) o.bytes.resize(before);
        }
        o.ends.push_back(o.bytes.size());
        o.unchanged.push_back(same);
      }
    });
    if (bad_item < n) {
      throw py::value_error(surrogate_message(("normalize_batch: item " + std::to_string(bad_item.load())).c_str(),
                                              bad_index[bad_item / kBatchChunk]));
    }
    if (failed) throw std::bad_alloc();
  }

  arnorm::Normalizer normalizer_;
};

// The per-call hot path, as a plain METH_FASTCALL function: (capsule, str) -> str.
// pybind11's dispatch costs more than the normalization of a short line.
constexpr const char* kCapsuleName = "arnorm.Normalizer";

PyObject* fast_normalize(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 2) {
    PyErr_SetString(PyExc_TypeError, "fast_normalize(capsule, text)");
    return nullptr;
  }
  auto* n = static_cast<const arnorm::Normalizer*>(PyCapsule_GetPointer(args[0], kCapsuleName));
  if (!n) return nullptr;
  PyObject* text = args[1];
  if (!PyUnicode_Check(text)) {
    PyErr_Format(PyExc_TypeError, "normalize: expected str or bytes, got %s", Py_TYPE(text)->tp_name);
    return nullptr;
  }
  if (!StrUtf8::ready(text)) return nullptr;
  if (PyUnicode_IS_ASCII(text) && !n->changes_ascii()) {
    Py_INCREF(text);
    return text;
  }
  thread_local StrUtf8 input;
  thread_local std::string out;
  out.clear();
  bool read = true;
  arnorm::Result r;
  auto work = [&] {
    if ((read = input.read(text))) r = n->normalize_into(input.view(), out);
  };
  if (static_cast<std::size_t>(PyUnicode_GET_LENGTH(text)) > kReleaseGilAbove) {
    Py_BEGIN_ALLOW_THREADS work();
    Py_END_ALLOW_THREADS
  } else {
    work();
  }
  if (!read) {
    PyErr_SetString(PyExc_ValueError, surrogate_message("normalize", input.surrogate()).c_str());
    return nullptr;
  }
  if (!r.ok()) return PyErr_NoMemory();
  PyObject* result = out == input.view() ? (Py_INCREF(text), text) : str_from_utf8(out);
  input.trim();
  if (out.capacity() > StrUtf8::kKeepBytes) std::string().swap(out);
  return result;
}

PyMethodDef fast_normalize_def = {"fast_normalize",
                                  reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_normalize)),
                                  METH_FASTCALL, "normalize(capsule, str) -> str (private)"};

}  // namespace

PYBIND11_MODULE(_arnorm, m) {
  m.attr("fast_normalize") =
      py::reinterpret_steal<py::object>(PyCFunction_NewEx(&fast_normalize_def, nullptr, nullptr));
  m.doc() = "arnorm's C++ core (private: use the arnorm package)";
  arnorm_py::register_arrow(m);
  py::class_<Core>(m, "Core")
      .def(py::init<const std::string&, const std::vector<std::pair<std::string, std::string>>&>())
      .def("normalize", &Core::normalize, py::arg("text"), py::arg("errors") = "strict")
      .def("normalize_batch", &Core::normalize_batch, py::arg("texts"), py::arg("workers") = 1)
      .def("normalize_arrow", &Core::normalize_arrow, py::arg("chunks"), py::arg("workers") = 1,
           py::arg("errors") = "strict")
      .def("normalize_with_offsets", &Core::normalize_with_offsets, py::arg("text"))
      .def("explain", &Core::explain, py::arg("text"))
      .def("options", &Core::options)
      .def("capsule", [](py::object self) {
        // Points into this Core: the Python Normalizer keeps both alive together.
        const arnorm::Normalizer* n = &self.cast<const Core&>().normalizer();
        return py::capsule(const_cast<arnorm::Normalizer*>(n), kCapsuleName);
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

  // Spelling variants of names.
  m.def(
      "variant_key", [](const std::string& w) { return arnorm::variant_key(w); }, py::arg("word"));
  m.def(
      "variant_similarity",
      [](const std::string& a, const std::string& b) {
        py::gil_scoped_release release;
        return arnorm::variant_similarity(a, b);
      },
      py::arg("a"), py::arg("b"));
  py::class_<KnownWords>(m, "Lexicon")
      .def(py::init([](const std::vector<std::string>& words) { return KnownWords{arnorm::make_lexicon(words)}; }),
           py::arg("words"))
      .def("__len__", [](const KnownWords& k) { return k.words.size(); });
  m.def(
      "are_variants",
      [](const std::string& a, const std::string& b, double threshold, const KnownWords* lexicon) {
        py::gil_scoped_release release;
        return arnorm::are_variants(a, b, threshold, lexicon ? &lexicon->words : nullptr);
      },
      py::arg("a"), py::arg("b"), py::arg("threshold") = arnorm::kVariantThreshold, py::arg("lexicon") = nullptr);
  py::class_<arnorm::VariantIndex>(m, "VariantIndex")
      .def(py::init<double>(), py::arg("threshold") = arnorm::kVariantThreshold)
      .def(
          "add", [](arnorm::VariantIndex& self, const std::string& name) { self.add(name); }, py::arg("name"))
      .def("__len__", &arnorm::VariantIndex::size)
      .def_property_readonly("threshold", &arnorm::VariantIndex::threshold)
      .def(
          "lookup",
          [](const arnorm::VariantIndex& self, const std::string& query, std::size_t k) {
            std::vector<arnorm::VariantMatch> found;
            {
              py::gil_scoped_release release;
              found = self.lookup(query, k);
            }
            py::list out;
            for (const auto& f : found) out.append(py::make_tuple(f.name, f.score));
            return out;
          },
          py::arg("query"), py::arg("k") = 5)
      .def(
          "lookup_arrow",
          [](const arnorm::VariantIndex& self, py::handle chunks, int workers) {
            return arnorm_py::map_string_chunks(chunks, workers, "lookup_arrow", lookup_row, &self,
                                                arnorm_py::OutputText::utf8, true);
          },
          py::arg("chunks"), py::arg("workers") = 1)
      .def(
          "canonicalize_arrow",
          [](const arnorm::VariantIndex& self, py::handle chunks, int workers) {
            return arnorm_py::map_string_chunks(chunks, workers, "canonicalize_arrow", canonicalize_row, &self,
                                                arnorm_py::OutputText::same_as_input, false);
          },
          py::arg("chunks"), py::arg("workers") = 1)
      .def(
          "canonicalize",
          [](const arnorm::VariantIndex& self, const std::string& text) {
            py::gil_scoped_release release;
            return self.canonicalize(text);
          },
          py::arg("text"));
  m.def(
      "find_variants",
      [](const std::vector<std::string>& texts, double threshold, double min_confidence) {
        std::vector<arnorm::VariantGroup> groups;
        {
          py::gil_scoped_release release;
          groups = arnorm::find_variants(texts, threshold, min_confidence);
        }
        py::list out;
        for (const auto& g : groups) out.append(py::make_tuple(g.spellings, g.counts, g.confidence));
        return out;
      },
      py::arg("texts"), py::arg("threshold") = arnorm::kVariantThreshold, py::arg("min_confidence") = 0.5);
}
