# Type stubs of the wfsim package (the names __getattr__ loads lazily).
import os
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union

from .errors import (FileError as FileError, InputError as InputError,
                     ModelError as ModelError, OutOfMemoryError as OutOfMemoryError,
                     UsageError as UsageError, WfsimError as WfsimError)

__version__: str

_PathLike = Union[str, os.PathLike[str]]

class Config:
    threads: int
    def to_dict(self) -> dict[str, Any]: ...

class Table:
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...
    def to_pyarrow(self) -> Any: ...
    def to_polars(self) -> Any: ...
    def to_pandas(self) -> Any: ...

class Result:
    @property
    def events(self) -> Table: ...
    @property
    def snapshot(self) -> Table: ...
    @property
    def summary(self) -> dict[str, Any]: ...
    @property
    def event_count(self) -> int: ...
    def write_parquet(self, out: _PathLike, *, threads: Optional[int] = ...) -> Path: ...

def load_config(path_or_dict: Union[_PathLike, Mapping[str, Any], Config, None] = ...) -> Config: ...
def simulate(census: Any, config: Union[Config, _PathLike, Mapping[str, Any], None] = ..., *,
             start: Optional[int] = ..., end: Optional[int] = ..., seed: Optional[int] = ...,
             scenario: Optional[str] = ..., plan: Optional[str] = ...,
             threads: Optional[int] = ..., snapshots: bool = ...,
             tables: Optional[_PathLike] = ...,
             skip_invalid_rows: bool = ...) -> Result: ...
def ensemble(census: Any, scenarios: Any, seeds: int = ..., out: _PathLike = ..., *,
             first_seed: Optional[int] = ..., start: Optional[int] = ...,
             end: Optional[int] = ..., threads: Optional[int] = ...,
             tables: Optional[_PathLike] = ..., client: Any = ...,
             batch_size: Optional[int] = ...) -> Path: ...
def synthetic_census(n: int, seed: int = ..., *, start_year: int = ...,
                     path: Optional[_PathLike] = ...) -> Path: ...

class EnsembleError(Exception):
    message: str
    status: int

