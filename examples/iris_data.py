"""Shared by the examples' build.py scripts: Fisher's iris data from examples/iris/iris.csv."""

import csv
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ["setosa", "versicolor", "virginica"]
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def load():
    """(rows, labels): 150 rows of 4 floats and class indices 0..2."""
    rows, labels = [], []
    with open(os.path.join(HERE, "iris", "iris.csv"), newline="") as f:
        for record in csv.DictReader(f):
            rows.append([float(record[name]) for name in FEATURES])
            labels.append(CLASSES.index(record["species"]))
    return rows, labels


def write_reference(path, library, rows, outputs):
    """Writes the rows and the reference library's outputs (lists) as JSON for the JVM tests."""
    with open(path, "w") as f:
        json.dump({"library": library, "inputs": rows, "outputs": outputs}, f)
        f.write("\n")
