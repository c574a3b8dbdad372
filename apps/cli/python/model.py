"""This folder's descent bundle as a PyTorch model.

    python model.py --csv rows.csv     # prints what `descent predict --csv rows.csv` prints

or, from your own code: `from model import load; model, manifest = load()`. The network is built
from model.json by descent_torch.build_module, the weights come from model.safetensors, and a
table's preprocessing (one-hot, then the fitted scaler) is descent_torch.Preprocessor.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from descent_torch import load_bundle, predict_csv_lines  # noqa: E402


def load():
    """(model, manifest): the torch module in eval mode and model.json."""
    return load_bundle(HERE)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", required=True, help="raw table rows, with the columns the model was trained on")
    args = parser.parse_args()
    model, manifest = load()
    if not manifest.get("preprocessing"):
        sys.exit("model.py: --csv: this model was not trained on a table; call load() and feed it tensors")
    print("\n".join(predict_csv_lines(model, manifest, args.csv)))
