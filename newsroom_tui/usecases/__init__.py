"""What an editor can do, written once for both front ends.

Open, save, every workflow action, restore, import, check and export.
"""
