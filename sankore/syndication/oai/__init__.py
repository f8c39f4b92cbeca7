"""OAI-PMH 2.0 repository of the public catalog, at ``/oai``.

``protocol`` reads a request's arguments into a typed request or an OAI error; ``tokens``
signs and reads resumption tokens; ``records`` pages through courses and withdrawn courses by
``(datestamp, pk)``; ``oai_dc`` and ``lom`` write the two metadata formats; ``responses``
streams the XML of each verb; ``views`` is the endpoint.
"""
