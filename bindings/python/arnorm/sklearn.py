"""scikit-learn: :class:`ArabicNormalizer`, a transformer for pipelines and grid search.

>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.feature_extraction.text import TfidfVectorizer
>>> from arnorm.sklearn import ArabicNormalizer
>>> pipe = make_pipeline(ArabicNormalizer("search", workers=2), TfidfVectorizer())

It learns nothing (``fit`` only checks the parameters), clones and pickles as
any estimator, and its parameters (``profile``, ``options``, ``workers``) can be
searched: ``{"arabicnormalizer__options": [{}, {"hamza": "to_letter"}]}``.
``arnorm.normalize`` itself also pickles, so ``TfidfVectorizer(preprocessor=arnorm.normalize)``
works in ``cross_val_score`` and multiprocessing.
"""

from typing import Any, Dict, Iterable, List, Optional

try:
    from sklearn.base import BaseEstimator, TransformerMixin
except ImportError:  # pragma: no cover - the message is the point
    raise ImportError("arnorm.sklearn needs scikit-learn: pip install scikit-learn") from None

import arnorm

__all__ = ["ArabicNormalizer"]


class ArabicNormalizer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Normalizes each text of a 1-D iterable of str (a list, a pandas Series, a numpy array).

    ``profile`` and ``options`` are those of :class:`arnorm.Normalizer`; ``workers``
    threads share a batch (-1: every core). ``transform`` returns a list of str.
    """

    def __init__(self, profile: str = "search", options: Optional[Dict[str, Any]] = None, workers: int = 1) -> None:
        self.profile = profile
        self.options = options
        self.workers = workers

    def _normalizer(self) -> arnorm.Normalizer:
        return arnorm._normalizer(self.profile, dict(self.options or {}))

    def fit(self, X: Iterable[str], y: Any = None) -> "ArabicNormalizer":
        self._normalizer()  # bad parameters fail here, as estimators do
        return self

    def transform(self, X: Iterable[str]) -> List[str]:
        if isinstance(X, (str, bytes)):
            raise TypeError("ArabicNormalizer.transform: expected an iterable of str, got a single "
                            f"{type(X).__name__}")
        texts = X.tolist() if hasattr(X, "tolist") else list(X)
        if texts and isinstance(texts[0], list):
            raise TypeError("ArabicNormalizer.transform: expected a 1-D column of str, got 2-D input")
        return self._normalizer().normalize_batch(texts, workers=self.workers)

    def _more_tags(self) -> Dict[str, Any]:  # scikit-learn before 1.6
        return {"stateless": True, "requires_fit": False, "X_types": ["string"]}

    if hasattr(BaseEstimator, "__sklearn_tags__"):
        def __sklearn_tags__(self) -> Any:
            tags = super().__sklearn_tags__()
            tags.requires_fit = False
            tags.input_tags.string = True
            return tags
