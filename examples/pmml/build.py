"""Builds the PMML iris example: a scikit-learn decision tree written as a PMML TreeModel.

Run once with Debian's python3-sklearn:  python3 examples/pmml/build.py
Writes model.pmml and reference/model.json (scikit-learn's labels and class probabilities).
"""

import os
import sys

import sklearn
from sklearn.tree import DecisionTreeClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import iris_data  # noqa: E402
import pmml_writer  # noqa: E402


def main():
    rows, labels = iris_data.load()
    classifier = DecisionTreeClassifier(max_depth=3, random_state=7).fit(rows, labels)
    description = "scikit-learn " + sklearn.__version__ + " DecisionTreeClassifier(max_depth=3)"
    with open(os.path.join(HERE, "model.pmml"), "w") as f:
        f.write(pmml_writer.tree(classifier, description))
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
