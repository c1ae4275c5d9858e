"""``python -m scripts.demo``: generate the demo township (:func:`scripts.demo.build.main`)."""

from scripts.demo.build import main

if __name__ == "__main__":
    main()
