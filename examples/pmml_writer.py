"""Writes PMML 4.4 documents for fitted scikit-learn iris models (sklearn2pmml is not packaged
in Debian, so the examples write the few elements they need from the fitted parameters)."""

from xml.sax.saxutils import escape

import iris_data

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
  <Header description="{description}"/>
  <DataDictionary numberOfFields="5">
{fields}
    <DataField name="species" optype="categorical" dataType="string">
{values}
    </DataField>
  </DataDictionary>
"""


def header(description):
    fields = "\n".join(
        f'    <DataField name="{n}" optype="continuous" dataType="double"/>'
        for n in iris_data.FEATURES
    )
    values = "\n".join(f'      <Value value="{c}"/>' for c in iris_data.CLASSES)
    return HEADER.format(description=escape(description), fields=fields, values=values)


def mining_schema():
    active = "\n".join(f'      <MiningField name="{n}"/>' for n in iris_data.FEATURES)
    return (
        "    <MiningSchema>\n"
        f"{active}\n"
        '      <MiningField name="species" usageType="target"/>\n'
        "    </MiningSchema>\n"
    )


def tree(classifier, description):
    """A TreeModel equal to a fitted DecisionTreeClassifier (leaf class counts as scores)."""
    t = classifier.tree_
    out = [header(description)]
    out.append(
        '  <TreeModel functionName="classification" splitCharacteristic="binarySplit"'
        ' missingValueStrategy="none" noTrueChildStrategy="returnNullPrediction">\n'
    )
    out.append(mining_schema())

    def node(index, predicate, depth):
        pad = "  " * depth
        counts = t.value[index][0]
        total = sum(counts)
        best = iris_data.CLASSES[int(counts.argmax())]
        lines = [f'{pad}<Node score="{best}" recordCount="{total!r}">', pad + "  " + predicate]
        if t.children_left[index] == -1:
            for c, count in zip(iris_data.CLASSES, counts):
                lines.append(
                    f'{pad}  <ScoreDistribution value="{c}" recordCount="{float(count)!r}"'
                    f' probability="{float(count / total)!r}"/>'
                )
        else:
            feature = iris_data.FEATURES[t.feature[index]]
            threshold = repr(float(t.threshold[index]))
            left = f'<SimplePredicate field="{feature}" operator="lessOrEqual" value="{threshold}"/>'
            right = f'<SimplePredicate field="{feature}" operator="greaterThan" value="{threshold}"/>'
            lines += node(t.children_left[index], left, depth + 1)
            lines += node(t.children_right[index], right, depth + 1)
        lines.append(pad + "</Node>")
        return lines

    out.append("\n".join(node(0, "<True/>", 2)) + "\n")
    out.append("  </TreeModel>\n</PMML>\n")
    return "".join(out)


def logistic_regression(classifier, description):
    """A RegressionModel (softmax) equal to a fitted multinomial LogisticRegression."""
    out = [header(description)]
    out.append(
        '  <RegressionModel functionName="classification" normalizationMethod="softmax">\n'
    )
    out.append(mining_schema())
    for c, coefs, intercept in zip(
        iris_data.CLASSES, classifier.coef_, classifier.intercept_
    ):
        out.append(f'    <RegressionTable intercept="{float(intercept)!r}" targetCategory="{c}">\n')
        for name, coef in zip(iris_data.FEATURES, coefs):
            out.append(f'      <NumericPredictor name="{name}" coefficient="{float(coef)!r}"/>\n')
        out.append("    </RegressionTable>\n")
    out.append("  </RegressionModel>\n</PMML>\n")
    return "".join(out)
