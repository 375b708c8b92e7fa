#!/usr/bin/env python3
"""gen_esp32part_run.py - run ESP-IDF's own gen_esp32part.py on one input, with nothing
but Python's standard library installed.

    gen_esp32part_run.py IDF_PATH [gen_esp32part.py options] INPUT [OUTPUT]

The script (components/partition_table/gen_esp32part.py of IDF_PATH) is loaded as it
is and its run_gen() called with the options given, so the table it writes is the one
`idf.py build` writes.  Current ESP-IDF imports two packages from PyPI at the top of
the script, both for its command line and log output only: rich_click (rich-click) and
esp_pylib (esp-pylib: cli_options.OptionEatAll, cli_types.AnyIntType, logger.log).  The
table code (run_gen and what it calls) uses the standard library alone.  When those
packages are missing, inert stand-ins are registered under their names so the module
imports; its command-line function is then never used.  Nothing of the script is
copied or changed.

Exit status as the script's: 0, or 2 with its InputError message on standard error.
"""
import argparse
import importlib.util
import os
import sys
import types


def _decorator_factory(*_args, **_kwargs):
    return lambda f: f


class _Inert(types.ModuleType):
    """Every attribute is a callable that, called, gives a do-nothing decorator."""

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _decorator_factory


def _stand_in(name):
    try:
        if importlib.util.find_spec(name.split('.')[0]) is not None:
            return
    except (ImportError, ValueError):
        pass
    parts = name.split('.')
    for i in range(1, len(parts) + 1):
        mod = '.'.join(parts[:i])
        if mod not in sys.modules:
            sys.modules[mod] = _Inert(mod)
            if i < len(parts):
                sys.modules[mod].__path__ = []


def _int(text):
    return int(text, 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('idf_path')
    ap.add_argument('--offset', '-o', type=_int, default=0x8000)
    ap.add_argument('--primary-bootloader-offset', type=_int)
    ap.add_argument('--recovery-bootloader-offset', type=_int)
    ap.add_argument('--secure', choices=['v1', 'v2'])
    ap.add_argument('--disable-md5sum', action='store_true')
    ap.add_argument('--no-verify', action='store_true')
    ap.add_argument('--flash-size')
    ap.add_argument('--quiet', '-q', action='store_true')
    ap.add_argument('input')
    ap.add_argument('output', nargs='?', default='-')
    a = ap.parse_args()

    for name in ('rich_click', 'esp_pylib.cli_options', 'esp_pylib.cli_types', 'esp_pylib.logger'):
        _stand_in(name)
    path = os.path.join(a.idf_path, 'components', 'partition_table', 'gen_esp32part.py')
    spec = importlib.util.spec_from_file_location('gen_esp32part', path)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)

    try:
        with open(a.input, 'rb') as f:
            gen.run_gen(
                input_file=f,
                output=a.output,
                flash_size=a.flash_size,
                disable_md5sum=a.disable_md5sum,
                no_verify=a.no_verify,
                quiet_flag=True,
                offset=a.offset,
                primary_bootloader_offset_arg=a.primary_bootloader_offset,
                recovery_bootloader_offset_arg=a.recovery_bootloader_offset,
                secure_arg=a.secure,
            )
    except gen.InputError as e:
        print(e, file=sys.stderr)
        sys.exit(2)


if __name__ == '__main__':
    main()
