import streamlit as st

st.title("5_next_token")
