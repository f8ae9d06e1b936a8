"""The API's endpoints, a module per part of the record; api/urls.py registers them."""
