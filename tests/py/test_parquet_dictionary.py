"""Dictionary encoding in wfsim's Parquet writer: low-cardinality columns get
a dictionary page and RLE_DICTIONARY data pages; a column chunk whose
dictionary would pass dict_max_bytes falls back to PLAIN for the rest of
the chunk (and the next row group tries again); every variant reads back
through DuckDB, pyarrow and Polars."""
import pyarrow.parquet as pq

from test_parquet_roundtrip import check_all_readers, col, read_footer, write_parquet

DICT_PAGE, DATA_PAGE = 2, 0
PLAIN, RLE_DICTIONARY = 0, 8


def page_counts(path, rg, column):
    """{(page type, encoding): count} from the chunk's encoding_stats."""
    chunk = read_footer(path)[4][rg][1][column][3]
    return {(e[1], e[2]): e[3] for e in chunk[13]}


def test_low_cardinality_uses_the_dictionary(tmp_path):
    n = 20000
    names = ["hire", "termination", "promotion", "raise", "enrollment"]
    cols = [col("event", "BYTE_ARRAY", "STRING", dict=True),
            col("year", "INT32", dict=True),
            col("rate", "DOUBLE", nullable=True, dict=True),
            col("plain", "BYTE_ARRAY", "STRING")]
    values = [[names[i * 7 % 5] for i in range(n)],
              [2025 + i % 5 for i in range(n)],
              [None if i % 4 == 0 else [0.03, 0.05, 0.1][i % 3] for i in range(n)],
              [names[i % 5] for i in range(n)]]
    path = write_parquet(tmp_path / "t.parquet", cols, values, {"page_bytes": 20000})
    md = pq.ParquetFile(path).metadata.row_group(0)
    for j in range(3):
        c = md.column(j)
        assert c.has_dictionary_page, j
        assert "RLE_DICTIONARY" in c.encodings, j
        counts = page_counts(path, 0, j)
        assert counts[(DICT_PAGE, PLAIN)] == 1
        assert (DATA_PAGE, PLAIN) not in counts, counts  # no fallback
        assert counts[(DATA_PAGE, RLE_DICTIONARY)] >= 1
    assert not md.column(3).has_dictionary_page
    assert md.column(3).encodings == ("PLAIN",)
    # a dictionary column is much smaller than the PLAIN one with the same data
    assert md.column(0).total_uncompressed_size * 10 < md.column(3).total_uncompressed_size
    check_all_readers(path, cols, values)


def test_high_cardinality_falls_back_to_plain(tmp_path):
    n = 30000
    cols = [col("id", "BYTE_ARRAY", "STRING", dict=True),
            col("k", "INT64", dict=True)]
    values = [[f"employee-{i:08d}-{i * 2654435761 % 2**32:010d}" for i in range(n)],
              [i * 2654435761 for i in range(n)]]
    path = write_parquet(tmp_path / "t.parquet", cols, values,
                         {"page_bytes": 16384, "dict_max_bytes": 65536})
    md = pq.ParquetFile(path).metadata.row_group(0)
    for j in range(2):
        counts = page_counts(path, 0, j)
        # the first pages used the dictionary, the rest are PLAIN
        assert counts[(DICT_PAGE, PLAIN)] == 1
        assert counts[(DATA_PAGE, RLE_DICTIONARY)] >= 1
        assert counts[(DATA_PAGE, PLAIN)] >= 1
        assert "PLAIN" in md.column(j).encodings and "RLE_DICTIONARY" in md.column(j).encodings
        # the dictionary stayed within its bound
        assert md.column(j).data_page_offset - md.column(j).dictionary_page_offset < 65536 + 1024
    check_all_readers(path, cols, values)


def test_dictionary_too_large_at_once_means_no_dictionary(tmp_path):
    cols = [col("s", "BYTE_ARRAY", "STRING", nullable=True, dict=True)]
    values = [[None if i % 3 == 0 else f"value number {i}" for i in range(1000)]]
    path = write_parquet(tmp_path / "t.parquet", cols, values, {"dict_max_bytes": 8})
    c = pq.ParquetFile(path).metadata.row_group(0).column(0)
    assert not c.has_dictionary_page
    assert c.encodings == ("PLAIN", "RLE")
    assert page_counts(path, 0, 0) == {(DATA_PAGE, PLAIN): 1}
    check_all_readers(path, cols, values)


def test_next_row_group_tries_the_dictionary_again(tmp_path):
    n = 4000
    cols = [col("s", "BYTE_ARRAY", "STRING", dict=True)]
    values = [[f"unique-{i}" if i < 2000 else f"few-{i % 3}" for i in range(n)]]
    path = write_parquet(tmp_path / "t.parquet", cols, values,
                         {"row_group_rows": 2000, "dict_max_bytes": 4096, "page_bytes": 4096})
    first, second = page_counts(path, 0, 0), page_counts(path, 1, 0)
    assert (DATA_PAGE, PLAIN) in first
    assert (DATA_PAGE, PLAIN) not in second and (DATA_PAGE, RLE_DICTIONARY) in second
    check_all_readers(path, cols, values)


def test_all_null_pages_among_dictionary_pages(tmp_path):
    """Pages without values are PLAIN even in a dictionary chunk; readers
    must cope with PLAIN pages before and between dictionary pages."""
    n = 6000
    cols = [col("s", "BYTE_ARRAY", "STRING", nullable=True, dict=True),
            col("v", "INT64", nullable=True, dict=True)]
    pattern = [None] * 2000 + ["a", "b", "c"] * 500 + [None] * 1500 + ["d", "a"] * 500
    values = [pattern, [None if v is None else len(v) * 10 + ord(v) for v in pattern]]
    path = write_parquet(tmp_path / "t.parquet", cols, values, {"page_bytes": 256})
    counts = page_counts(path, 0, 0)
    assert counts[(DATA_PAGE, PLAIN)] >= 2 and counts[(DATA_PAGE, RLE_DICTIONARY)] >= 2
    check_all_readers(path, cols, values)


def test_all_null_dictionary_column(tmp_path):
    cols = [col("s", "BYTE_ARRAY", "STRING", nullable=True, dict=True)]
    values = [[None] * 100]
    path = write_parquet(tmp_path / "t.parquet", cols, values)
    c = pq.ParquetFile(path).metadata.row_group(0).column(0)
    assert not c.has_dictionary_page and c.statistics.null_count == 100
    check_all_readers(path, cols, values)
