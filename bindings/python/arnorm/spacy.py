"""spaCy: the ``arnorm`` pipeline component, registered as a factory by an entry point.

>>> import spacy
>>> nlp = spacy.blank("ar")
>>> nlp.add_pipe("arnorm", config={"profile": "search", "options": {"hamza": "to_letter"}})
>>> [t.norm_ for t in nlp("الإستثمار على")]
['الاستثمار', 'علي']

It sets each token's ``norm_`` (which spaCy's lexical features and matchers
with ``NORM`` read) and, unless ``doc_extension`` is empty, ``doc._.<name>`` to
the whole text normalized. Token boundaries and offsets are spaCy's own.
"""

from typing import Any, Dict, Iterable, Iterator, Optional

try:
    from spacy.language import Language
    from spacy.tokens import Doc
except ImportError:  # pragma: no cover - the message is the point
    raise ImportError("arnorm.spacy needs spaCy: pip install spacy") from None

import arnorm

__all__ = ["ArnormComponent", "make_arnorm"]


class ArnormComponent:
    def __init__(self, profile: str = "search", options: Optional[Dict[str, Any]] = None,
                 doc_extension: str = "arnorm") -> None:
        self.normalizer = arnorm.Normalizer(profile, **dict(options or {}))
        self.doc_extension = doc_extension
        if doc_extension and not Doc.has_extension(doc_extension):
            Doc.set_extension(doc_extension, default=None)

    def __call__(self, doc: Doc) -> Doc:
        norms = self.normalizer.normalize_batch([t.text for t in doc])
        for token, norm in zip(doc, norms):
            token.norm_ = norm
        if self.doc_extension:
            doc._.set(self.doc_extension, self.normalizer.normalize(doc.text))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("arnorm", default_config={"profile": "search", "options": {}, "doc_extension": "arnorm"})
def make_arnorm(nlp: Language, name: str, profile: str, options: Dict[str, Any], doc_extension: str) -> ArnormComponent:
    return ArnormComponent(profile, options, doc_extension)
