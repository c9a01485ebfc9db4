"""Builds the LightGBM iris models and the Python library's reference predictions.

Debian has no python3-lightgbm; run with a Python that has the lightgbm package (plus Debian's
python3-numpy/python3-scipy/python3-sklearn), e.g. a venv with --system-site-packages:
    python3 examples/lightgbm/build.py
Writes model.txt (multiclass, the served example) and variants/binary.txt, each with
reference/<name>.json holding the library's predictions (probabilities and raw scores).
"""

import os
import sys

import lightgbm as lgb
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import iris_data  # noqa: E402

PARAMS = {
    "num_leaves": 7,
    "learning_rate": 0.3,
    "min_data_in_leaf": 5,
    "seed": 7,
    "num_threads": 1,
    "deterministic": True,
    "verbose": -1,
}
ROUNDS = 10

# (file written, objective, label transform)
MODELS = [
    ("model.txt", "multiclass", None),
    ("variants/binary.txt", "binary", lambda y: (y == 2).astype(np.float64)),
]


def main():
    rows, labels = iris_data.load()
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels)
    os.makedirs(os.path.join(HERE, "variants"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "reference"), exist_ok=True)
    for path, objective, transform in MODELS:
        params = dict(PARAMS, objective=objective)
        if objective == "multiclass":
            params["num_class"] = 3
        label = y if transform is None else transform(y)
        booster = lgb.train(params, lgb.Dataset(x, label=label), ROUNDS)
        target = os.path.join(HERE, path)
        booster.save_model(target)
        loaded = lgb.Booster(model_file=target)
        value = loaded.predict(x)
        raw = loaded.predict(x, raw_score=True)
        name = os.path.splitext(os.path.basename(path))[0]
        reference = os.path.join(HERE, "reference", name + ".json")
        iris_data.write_reference(
            reference,
            "lightgbm " + lgb.__version__ + " " + objective,
            rows,
            {"output-0": value.tolist(), "raw": raw.tolist()},
        )
        print("wrote", target, reference)


if __name__ == "__main__":
    main()
