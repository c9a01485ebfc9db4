"""Builds the scikit-learn iris example: a LogisticRegression saved as model.joblib (what KServe's
sklearnserver loads) next to its PMML export model.pmml (what Kaskade serves natively: a JVM
cannot read Python pickles).

Run once with Debian's python3-sklearn:  python3 examples/sklearn/build.py
Writes model.joblib, model.pmml and reference/model.json (scikit-learn's labels and probabilities).
"""

import os
import sys

import joblib
import sklearn
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import iris_data  # noqa: E402
import pmml_writer  # noqa: E402


def main():
    rows, labels = iris_data.load()
    classifier = LogisticRegression(max_iter=1000).fit(rows, labels)
    description = "scikit-learn " + sklearn.__version__ + " LogisticRegression (multinomial)"
    joblib.dump(classifier, os.path.join(HERE, "model.joblib"))
    with open(os.path.join(HERE, "model.pmml"), "w") as f:
        f.write(pmml_writer.logistic_regression(classifier, description))
    os.makedirs(os.path.join(HERE, "reference"), exist_ok=True)
    iris_data.write_reference(
        os.path.join(HERE, "reference", "model.json"),
        description,
        rows,
        {
            "output-0": [iris_data.CLASSES[i] for i in classifier.predict(rows)],
            "probabilities": classifier.predict_proba(rows).tolist(),
        },
    )
    print("wrote", os.path.join(HERE, "model.pmml"))


if __name__ == "__main__":
    main()
