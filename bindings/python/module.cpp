// The private extension module behind the `arnorm` Python package: the
// compiled Normalizer (CompiledNormalizer) and the module's functions. Strs
// go through str_io.hpp, batches through batch.hpp, the per-call shortcut
// through shortcut.hpp, Arrow columns through arrow.hpp and the name-variant
// API through variants.cpp.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <arnorm/arnorm.hpp>
#include <arnorm/transcode.hpp>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "arrow.hpp"
#include "batch.hpp"
#include "shortcut.hpp"
#include "parallel.hpp"
#include "str_io.hpp"

namespace py = pybind11;

namespace arnorm_py {

void register_variants(py::module_& m);

namespace {

// Row functions for whole Arrow columns (see arrow.hpp).
struct NormalizeRows {
  const arnorm::Normalizer* normalizer;
  bool invalid_to_null;
};

RowResult normalize_row(const void* context, std::string_view in, std::string& out, double*) {
  const auto& rows = *static_cast<const NormalizeRows*>(context);
  arnorm::Result r = rows.normalizer->normalize_into(in, out);
  if (r.ok()) return {};
  if (r.error != arnorm::Error::invalid_utf8) throw std::bad_alloc();
  if (rows.invalid_to_null) return {RowResult::null, 0};
  return {RowResult::invalid_utf8, r.position};
}

class CompiledNormalizer {
 public:
  CompiledNormalizer(const std::string& profile, const std::vector<std::pair<std::string, std::string>>& settings)
      : normalizer_(build(profile, settings)) {}

  // errors: "strict" or "replace" for invalid UTF-8 in bytes; "" follows the options' invalid_utf8.
  py::object normalize(py::handle text, const std::string& errors) const {
    if (errors != "" && errors != "strict" && errors != "replace")
      throw py::value_error("normalize: errors must be 'strict', 'replace' or None, got '" + errors + "'");
    if (PyUnicode_Check(text.ptr())) {
      PyObject* r = normalize_one(normalizer_, text.ptr(), "normalize");
      if (!r) throw py::error_already_set();
      return py::reinterpret_steal<py::object>(r);
    }
    if (PyBytes_Check(text.ptr()) || PyByteArray_Check(text.ptr())) return normalize_bytes(text, errors);
    type_error("normalize", text, "str, bytes or bytearray");
  }

  py::list normalize_batch(py::handle texts, py::handle workers) const {
    return arnorm_py::normalize_batch(normalizer_, texts, workers);
  }

  // Chunks of a string or binary Arrow column; errors: strict, replace or null.
  py::list normalize_arrow(py::handle chunks, py::handle workers_arg, const std::string& errors) const {
    const int workers = workers_of(workers_arg, "normalize_arrow");
    if (errors != "strict" && errors != "replace" && errors != "null")
      throw py::value_error("normalize_arrow: errors must be 'strict', 'replace' or 'null', got '" + errors + "'");
    NormalizeRows rows{with_policy(errors == "replace" ? arnorm::InvalidUtf8::replace : arnorm::InvalidUtf8::strict),
                       errors == "null"};
    return map_string_chunks(chunks, workers, "normalize_arrow", normalize_row, &rows,
                                        OutputText::same_as_input, false);
  }

  py::tuple normalize_with_offsets(py::handle text) const {
    if (!PyUnicode_Check(text.ptr())) type_error("normalize_with_offsets", text, "str");
    StrUtf8 buffer;
    std::string_view in = utf8_of(text.ptr(), buffer, "normalize_with_offsets");
    std::vector<arnorm::SourceSpan> spans;
    std::string out;
    {
      ReleaseGil release;
      out = normalizer_.normalize_with_offsets(in, spans);
    }
    CodePointCounter counter(in);
    py::list offsets(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i)
      PyList_SET_ITEM(offsets.ptr(), static_cast<Py_ssize_t>(i), PyLong_FromSize_t(counter.at(spans[i].begin)));
    return py::make_tuple(str_result(out, text.ptr(), in), offsets);
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
      ReleaseGil release;
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
    py::bytes owned = PyBytes_Check(data.ptr()) ? py::reinterpret_borrow<py::bytes>(data)
                                                : py::bytes(PyByteArray_AsString(data.ptr()),
                                                            static_cast<std::size_t>(PyByteArray_Size(data.ptr())));
    char* p = nullptr;
    Py_ssize_t len = 0;
    PyBytes_AsStringAndSize(owned.ptr(), &p, &len);
    std::string_view in(p, static_cast<std::size_t>(len));
    const arnorm::Normalizer* n = errors.empty() ? &normalizer_
                                  : with_policy(errors == "replace" ? arnorm::InvalidUtf8::replace
                                                                    : arnorm::InvalidUtf8::strict);
    std::string out;
    arnorm::Result r;
    {
      ReleaseGil release;
      r = n->normalize_into(in, out);
    }
    if (r.error == arnorm::Error::invalid_utf8) {
      const std::size_t bad = arnorm::utf8_error_length(in, r.position);
      PyObject* exc = PyUnicodeDecodeError_Create("utf-8", p, len, static_cast<Py_ssize_t>(r.position),
                                                  static_cast<Py_ssize_t>(r.position + bad), "invalid UTF-8 (arnorm)");
      PyErr_SetObject(PyExc_UnicodeDecodeError, exc);
      Py_XDECREF(exc);
      throw py::error_already_set();
    }
    if (!r.ok()) throw std::bad_alloc();
    return py::bytes(out);
  }

  arnorm::Normalizer normalizer_;
  struct Sibling {
    std::once_flag once;
    std::unique_ptr<arnorm::Normalizer> normalizer;
  };
  std::shared_ptr<Sibling> sibling_ = std::make_shared<Sibling>();
};

}  // namespace
}  // namespace arnorm_py

using namespace arnorm_py;

PYBIND11_MODULE(_arnorm, m) {
  if (!ready_shortcut_types()) throw py::error_already_set();
  m.attr("StrShortcut") = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(&g_shortcut_type));
  m.attr("StrShortcutMethod") = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(&g_shortcut_method_type));
  m.doc() = "arnorm's C++ core (private: use the arnorm package)";
  register_arrow(m);
  py::class_<CompiledNormalizer>(m, "CompiledNormalizer")
      .def(py::init<const std::string&, const std::vector<std::pair<std::string, std::string>>&>())
      .def("normalize", &CompiledNormalizer::normalize, py::arg("text"), py::arg("errors") = "")
      .def("normalize_batch", &CompiledNormalizer::normalize_batch, py::arg("texts"), py::arg("workers") = py::int_(1))
      .def("normalize_arrow", &CompiledNormalizer::normalize_arrow, py::arg("chunks"), py::arg("workers") = py::int_(1),
           py::arg("errors") = "strict")
      .def("normalize_with_offsets", &CompiledNormalizer::normalize_with_offsets, py::arg("text"))
      .def("explain", &CompiledNormalizer::explain, py::arg("text"), py::arg("edit_type"))
      .def("options", &CompiledNormalizer::options)
      .def("capsule", [](py::object self) {
        // Points into this Core and holds a reference to it (its context), so
        // that whoever holds the capsule, for as long as a call, keeps the Core alive.
        const arnorm::Normalizer* n = &self.cast<const CompiledNormalizer&>().normalizer();
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
  m.def("simd_path", &arnorm::simd_path);
  register_variants(m);
}

