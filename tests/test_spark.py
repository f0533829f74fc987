"""The README's PySpark recipe (a pandas UDF over a pickled Pipeline), run as written on a local Spark.

Skipped, saying why, when pyspark or Java is missing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from newsclean import Pipeline

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed (CI installs it; pip install pyspark)")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (a JRE 17) on PATH")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]").appName("newsclean-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    try:
        yield session
    finally:
        session.stop()


def test_the_readme_pandas_udf_cleans_a_column_and_keeps_nulls(spark):
    block = re.search(r"\*\*PySpark\*\*.*?```python\n(.*?)```", README, re.S)
    assert block, "README's PySpark example is missing"
    rows = [(i, None if i % 7 == 0 else f"Story  {i}\n\n\n\nends here ") for i in range(60)]
    df = spark.createDataFrame(rows, "id long, text string").repartition(3)
    namespace = {"spark": spark, "df": df}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    got = {row["id"]: row["text"] for row in namespace["df"].collect()}
    pipeline = Pipeline.default()
    assert got == {i: None if text is None else pipeline.clean(text) for i, text in rows}
