"""Builds the XGBoost iris models and the Python library's reference predictions.

Run once with Debian's python3-xgboost (apt-get install -y python3-xgboost):
    python3 examples/xgboost/build.py
Writes model.json (multi:softprob, the served example) and, under variants/, one model per
objective and file format that the JVM backend must read like xgbserver does, each with
reference/<name>.json holding the Python library's predictions (value and margin) on all 150 rows.
"""

import os
import sys

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import iris_data  # noqa: E402

PARAMS = {"max_depth": 3, "eta": 0.3, "seed": 7, "nthread": 1}
ROUNDS = 10

# (file written, objective, label transform)
MODELS = [
    ("model.json", "multi:softprob", None),
    ("variants/softmax.ubj", "multi:softmax", None),
    ("variants/binary.bst", "binary:logistic", lambda y: (y == 2).astype(np.float32)),
    ("variants/regression.json", "reg:squarederror", lambda y: y.astype(np.float32)),
]


def main():
    rows, labels = iris_data.load()
    x = np.asarray(rows, dtype=np.float32)
    y = np.asarray(labels)
    os.makedirs(os.path.join(HERE, "variants"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "reference"), exist_ok=True)
    for path, objective, transform in MODELS:
        params = dict(PARAMS, objective=objective)
        if objective.startswith("multi:"):
            params["num_class"] = 3
        label = y if transform is None else transform(y)
        booster = xgb.train(params, xgb.DMatrix(x, label=label), ROUNDS)
        target = os.path.join(HERE, path)
        booster.save_model(target)
        # Predict with the saved file, as a server would load it.
        loaded = xgb.Booster(model_file=target)
        data = xgb.DMatrix(x)
        value = loaded.predict(data)
        margin = loaded.predict(data, output_margin=True)
        name = os.path.splitext(os.path.basename(path))[0]
        reference = os.path.join(HERE, "reference", name + ".json")
        iris_data.write_reference(
            reference,
            "xgboost " + xgb.__version__ + " " + objective,
            rows,
            {"output-0": value.tolist(), "margin": margin.tolist()},
        )
        print("wrote", target, reference)


if __name__ == "__main__":
    main()
