import streamlit as st

st.title("3_positions")
