"""The text stages: decode, repair, normalize, script conversion, segmentation, language."""
