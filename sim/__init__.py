"""renosim's model: parameters, state arrays, network, behaviour rules, stages, executors, outputs.

Built from the ODD specification (docs/ODD.md) of resident mobilisation in Nanning's renovation of old
residential compounds (Gao 2022, DOI 10.16775/j.cnki.10-1285/d.2022.11.006).
"""
