"""The loket knowledge base: routes, region, vocabularies and the intake flow as data files.

The YAML files in this folder are the facts; the region edits them without code changes.
``knowledge.schema`` holds the typed models, ``knowledge.loader`` reads and checks the files.
"""

from pathlib import Path

KNOWLEDGE_DIR = Path(__file__).resolve().parent
