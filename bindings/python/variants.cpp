// The name-variant API: variant_key, Lexicon, VariantIndex, VariantStats,
// find_variants. Words are str only (bytes would pass as unchecked UTF-8);
// a lone surrogate is a ValueError, as everywhere.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <arnorm/variants.hpp>
#include <string>
#include <vector>

#include "arrow.hpp"
#include "parallel.hpp"
#include "str_io.hpp"

namespace py = pybind11;

namespace arnorm_py {
namespace {

RowResult lookup_row(const void* context, std::string_view in, std::string& out, double* score) {
  auto found = static_cast<const arnorm::VariantIndex*>(context)->lookup(in, 1);
  if (found.empty()) return {RowResult::null, 0};
  out += found[0].name;
  *score = found[0].score;
  return {};
}

RowResult canonicalize_row(const void* context, std::string_view in, std::string& out, double*) {
  out += static_cast<const arnorm::VariantIndex*>(context)->canonicalize(in);
  return {};
}

}  // namespace

void register_variants(py::module_& m) {
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
             ReleaseGil release;
             return l.knows(word);
           })
      .def("__len__", &arnorm::Lexicon::size)
      .def_property_readonly("builtin", &arnorm::Lexicon::with_builtin);
  m.def(
      "variant_similarity",
      [](const py::str& a, const py::str& b, const arnorm::Lexicon* lexicon) {
        std::string x = utf8_copy(a, "variant_similarity"), y = utf8_copy(b, "variant_similarity");
        ReleaseGil release;
        return arnorm::variant_similarity(x, y, lexicon);
      },
      py::arg("a"), py::arg("b"), py::arg("lexicon") = nullptr);
  m.def(
      "are_variants",
      [](const py::str& a, const py::str& b, double threshold, const arnorm::Lexicon* lexicon) {
        std::string x = utf8_copy(a, "are_variants"), y = utf8_copy(b, "are_variants");
        ReleaseGil release;
        return arnorm::are_variants(x, y, threshold, lexicon);
      },
      py::arg("a"), py::arg("b"), py::arg("threshold") = arnorm::kVariantThreshold, py::arg("lexicon") = nullptr);
  py::class_<arnorm::VariantIndex>(m, "VariantIndex")
      .def(py::init<double>(), py::arg("threshold") = arnorm::kVariantThreshold)
      .def(
          "add",
          [](arnorm::VariantIndex& self, const py::str& name, std::uint64_t count) {
            std::string n = utf8_copy(name, "VariantIndex.add");
            ReleaseGil release;  // add() waits for lookups under way in other threads
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
              ReleaseGil release;
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
            return map_string_chunks(chunks, workers_of(workers, "lookup_arrow"), "lookup_arrow", lookup_row, &self,
                                                OutputText::utf8, true);
          },
          py::arg("chunks"), py::arg("workers") = py::int_(1))
      .def(
          "canonicalize_arrow",
          [](const arnorm::VariantIndex& self, py::handle chunks, py::handle workers) {
            return map_string_chunks(chunks, workers_of(workers, "canonicalize_arrow"), "canonicalize_arrow", canonicalize_row, &self,
                                                OutputText::same_as_input, false);
          },
          py::arg("chunks"), py::arg("workers") = py::int_(1))
      .def(
          "canonicalize",
          [](const arnorm::VariantIndex& self, const py::str& t) {
            std::string text = utf8_copy(t, "canonicalize");
            ReleaseGil release;
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
              ReleaseGil release;
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
          ReleaseGil release;
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

}  // namespace arnorm_py
